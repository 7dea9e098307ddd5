using System;
using System.Globalization;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        /// <summary>Values per line in the embedded parameter table.</summary>
        private const int ValuesPerLine = 8;

        /// <summary>
        /// Compiled-in weights: a <c>ReadOnlySpan&lt;float&gt;</c> over a constant array, which the C# compiler stores as
        /// static data in the assembly (no allocation, no I/O, no start-up work), and a static <c>PredictEmbedded</c>.
        /// </summary>
        private static void WriteEmbeddedWeights(SourceWriter w, NetworkPlan plan, WeightsFile weights)
        {
            var spec = plan.Spec;
            string self = "global::" + spec.FullName;
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// The trained parameters compiled in from <c>{Xml(spec.Weights!)}</c> (checked at compile time: format, checksums and");
            w.WriteLine("/// architecture), in the layout of <see cref=\"Parameters\"/>. Static data in the assembly: reading it allocates nothing.");
            w.WriteLine("/// </summary>");
            w.WriteLine("public static global::System.ReadOnlySpan<float> EmbeddedParameters => new float[]");
            w.WriteLine("{");
            w.Indent();
            var values = System.Linq.Enumerable.ToArray(weights.Parameters);
            foreach (var block in plan.Blocks)
            {
                w.WriteLine($"// {block.Name} [{(block.IsMatrix ? block.Rows + "×" + block.Columns : block.Rows.ToString())}]{(block.IsMatrix ? ", row-major" : "")}, offset {block.Offset}");
                WriteValues(w, values, block.At, block.Count);
            }
            w.Unindent();
            w.WriteLine("};");
            w.WriteLine();
            bool standardized = weights.Mean.Count > 0;
            if (standardized)
            {
                w.WriteLine("/// <summary>The means μ of the input standardizer the checkpoint carries: <see cref=\"PredictEmbedded\"/> computes x′ = (x − μ) / σ.</summary>");
                w.WriteLine("public static global::System.ReadOnlySpan<float> EmbeddedInputMean => new float[]");
                WriteTable(w, System.Linq.Enumerable.ToArray(weights.Mean));
                w.WriteLine();
                w.WriteLine("/// <summary>The scales σ of the input standardizer the checkpoint carries.</summary>");
                w.WriteLine("public static global::System.ReadOnlySpan<float> EmbeddedInputScale => new float[]");
                WriteTable(w, System.Linq.Enumerable.ToArray(weights.Scale));
                w.WriteLine();
            }
            if (weights.ClassNames.Count > 0)
            {
                w.WriteLine("/// <summary>The class names the checkpoint carries, in output order.</summary>");
                w.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<string> EmbeddedClassNames { get; } = global::System.Array.AsReadOnly(new string[]");
                w.WriteLine("{");
                w.Indent();
                foreach (string className in weights.ClassNames)
                    w.WriteLine(Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(className, quote: true) + ","); // any character, escaped
                w.Unindent();
                w.WriteLine("});");
                w.WriteLine();
            }
            if (standardized)
            {
                w.WriteLine("/// <summary>");
                w.WriteLine("/// Runs the network with <see cref=\"EmbeddedParameters\"/> on raw features, standardised first with");
                w.WriteLine("/// <see cref=\"EmbeddedInputMean\"/> and <see cref=\"EmbeddedInputScale\"/>: no model file, no allocation, thread-safe.");
                w.WriteLine("/// </summary>");
                WriteStandardizedCall(w, plan, "public static", "void", "PredictEmbedded", $"{ReadOnlySpan} input, {Span} output", "input, output", null,
                    "global::NetGen.Standardizer.Standardize(input, standardized, EmbeddedInputMean, EmbeddedInputScale);",
                    "Forward(EmbeddedParameters, {0}, output)");
            }
            else
            {
                w.WriteLine("/// <summary>Runs the network with <see cref=\"EmbeddedParameters\"/>: no model file, no allocation, thread-safe.</summary>");
                w.WriteLine($"public static void PredictEmbedded({ReadOnlySpan} input, {Span} output) => Forward(EmbeddedParameters, input, output);");
            }
            w.WriteLine();
            w.WriteLine("/// <summary>A new instance whose parameters are a copy of <see cref=\"EmbeddedParameters\"/> (with the checkpoint's standardizer and class names, if any), e.g. to fine-tune it.</summary>");
            using (w.OpenBlock($"public static {self} CreateEmbedded()"))
            {
                w.WriteLine($"{self} network = Create(0);");
                w.WriteLine("EmbeddedParameters.CopyTo(network.Parameters);");
                if (standardized)
                    w.WriteLine("network.Standardizer = global::NetGen.Standardizer.Create(EmbeddedInputMean, EmbeddedInputScale);");
                if (weights.ClassNames.Count > 0)
                    w.WriteLine("network.ClassNames = EmbeddedClassNames;");
                w.WriteLine("return network;");
            }
            w.WriteLine();
        }

        private static void WriteTable(SourceWriter w, float[] values)
        {
            w.WriteLine("{");
            w.Indent();
            WriteValues(w, values, 0, values.Length);
            w.Unindent();
            w.WriteLine("};");
        }

        private static void WriteValues(SourceWriter w, float[] values, int offset, int count)
        {
            for (int start = 0; start < count; start += ValuesPerLine)
            {
                var line = new System.Text.StringBuilder();
                for (int i = start; i < start + ValuesPerLine && i < count; i++)
                    line.Append(FloatLiteral(values[offset + i])).Append(", ");
                w.WriteLine(line.ToString().TrimEnd());
            }
        }

        /// <summary>
        /// A float literal that round-trips exactly: nine significant digits always do, and −0 keeps its sign (some
        /// runtimes the compiler runs on format it as "0"). Non-finite values never get here: such a file is NG0023.
        /// </summary>
        private static string FloatLiteral(float value) =>
            value == 0f && BitConverter.GetBytes(value)[3] == 0x80 ? "-0f"
            : value.ToString("G9", CultureInfo.InvariantCulture) + "f";
    }
}
