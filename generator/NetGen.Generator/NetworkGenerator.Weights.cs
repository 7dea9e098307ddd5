using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    /// <summary>Compiled-in weights: reading checkpoint files from AdditionalFiles and matching them to declarations.</summary>
    internal static class Weights
    {
        /// <summary>Which AdditionalFiles are read as checkpoints: those named <c>*.ngw</c>.</summary>
        public static bool IsCheckpoint(AdditionalText text) => text.Path.EndsWith(".ngw", StringComparison.OrdinalIgnoreCase);

        /// <summary>Decodes one file (text form) into its architecture and parameters, or a problem. Never throws.</summary>
        public static WeightsFile Read(AdditionalText file, CancellationToken cancellationToken)
        {
            string path = file.Path.Replace('\\', '/');
            try
            {
                string? text = file.GetText(cancellationToken)?.ToString();
                if (text is null)
                    return Problem(path, "the file could not be read");
                if (!text.TrimStart('\uFEFF').StartsWith(CheckpointFormat.TextHeader, StringComparison.Ordinal))
                {
                    bool binary = text.Length > 4 && text.IndexOf("NGW", 0, Math.Min(8, text.Length), StringComparison.Ordinal) >= 0;
                    return Problem(path, binary
                        ? "it is a binary checkpoint, and the compiler reads AdditionalFiles as text; save it with Checkpoint.Save(network, path, encoding: CheckpointEncoding.Base64Text)"
                        : $"it is not a NetGen checkpoint (the text form starts with the line '{CheckpointFormat.TextHeader}')");
                }
                if (!CheckpointFormat.TryFromText(text, out byte[] bytes, out _, out string textProblem))
                    return Problem(path, textProblem);
                if (!CheckpointFormat.TryRead(bytes, null, Crc32.Compute, out var contents, out _, out string message))
                    return Problem(path, message);
                foreach (float value in contents!.Parameters)
                    if (float.IsNaN(value) || float.IsInfinity(value))
                        return Problem(path, "its parameters contain NaN or infinite values (the network it was saved from had diverged)");
                return new WeightsFile(path, contents.Architecture, new EquatableArray<float>(contents.Parameters), null)
                {
                    Mean = new EquatableArray<float>(contents.Mean),
                    Scale = new EquatableArray<float>(contents.Scale),
                    ClassNames = new EquatableArray<string>(contents.ClassNames),
                };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                return Problem(path, $"reading it failed ({exception.GetType().Name}: {exception.Message})");
            }
        }

        private static WeightsFile Problem(string path, string problem) => new(path, null, EquatableArray<float>.Empty, problem);

        /// <summary>The files a <c>Weights = "…"</c> value names: those whose full path is it or ends with "/" + it.</summary>
        public static List<WeightsFile> Find(string weights, ImmutableArray<WeightsFile> files)
        {
            string wanted = weights.Replace('\\', '/').TrimStart('.', '/');
            var found = new List<WeightsFile>();
            foreach (var file in files)
                if (file.Path.Equals(wanted, StringComparison.OrdinalIgnoreCase)
                    || file.Path.EndsWith("/" + wanted, StringComparison.OrdinalIgnoreCase))
                    found.Add(file);
            return found;
        }

        /// <summary>True when <paramref name="file"/> holds exactly the parameters <paramref name="spec"/> needs.</summary>
        private static bool Fits(WeightsFile file, NetworkSpec spec)
        {
            var plan = Planning.Planner.Plan(spec);
            return file.Problem is null && file.Architecture == Planning.Architecture.Of(plan) && file.Parameters.Count == plan.ParameterCount
                && PreprocessingProblem(file, plan) is null;
        }

        /// <summary>Why the file's standardizer or class names do not fit the network (the runtime's checks, in the same words), or null.</summary>
        private static string? PreprocessingProblem(WeightsFile file, Planning.NetworkPlan plan)
        {
            if (file.Mean.Count > 0 && file.Mean.Count != plan.InputSize)
                return $"it is corrupted: its standardizer has {file.Mean.Count} features where the network has {plan.InputSize} inputs";
            int names = plan.OutputSize == 1 ? 2 : plan.OutputSize;
            if (file.ClassNames.Count > 0 && file.ClassNames.Count != names)
                return $"it is corrupted: it names {file.ClassNames.Count} classes where the network's {plan.OutputSize} output(s) need {names}";
            foreach (string name in file.ClassNames)
                if (string.IsNullOrWhiteSpace(name))
                    return "it is corrupted: one of its class names is empty";
            return null;
        }

        /// <summary>The diagnostics for one declaration's <c>Weights</c>: missing, unreadable, or another network's.</summary>
        public static EquatableArray<DiagnosticInfo> Check(ParseResult parsed, ImmutableArray<WeightsFile> files)
        {
            if (parsed.Spec is not { Weights: { } weights } spec || string.IsNullOrWhiteSpace(weights))
                return EquatableArray<DiagnosticInfo>.Empty;
            var found = Find(weights, files);
            var file = found.Count == 1 ? found[0] : null;
            var plan = Planning.Planner.Plan(spec);
            string architecture = Planning.Architecture.Of(plan);
            DiagnosticInfo? diagnostic =
                found.Count == 0
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotFound, parsed.WeightsLocation, spec.TypeName, weights,
                        $"no AdditionalFiles item ends with it; add <AdditionalFiles Include=\"{weights}\" /> to the project file (checkpoint files must be named *.ngw)")
                : file is null
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileNotFound, parsed.WeightsLocation, spec.TypeName, weights,
                        $"it matches {found.Count} AdditionalFiles items ({string.Join(", ", found.Select(f => f.Path))}); give a longer path that names one")
                : file.Problem is { } problem
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileUnreadable, parsed.WeightsLocation, spec.TypeName, weights, problem)
                : file.Architecture != architecture
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsOfAnotherNetwork, parsed.WeightsLocation, spec.TypeName, weights, file.Architecture ?? "", architecture)
                : file.Parameters.Count != plan.ParameterCount
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileUnreadable, parsed.WeightsLocation, spec.TypeName, weights,
                        $"it is corrupted: it holds {file.Parameters.Count} parameters where its architecture has {plan.ParameterCount}")
                : PreprocessingProblem(file, plan) is { } preprocessing
                    ? DiagnosticInfo.Create(DiagnosticDescriptors.WeightsFileUnreadable, parsed.WeightsLocation, spec.TypeName, weights, preprocessing)
                : null;
            return diagnostic is null ? EquatableArray<DiagnosticInfo>.Empty : new EquatableArray<DiagnosticInfo>(new[] { diagnostic });
        }

        /// <summary>The spec with its embedded weights when they are valid for it; otherwise without (the error is reported apart).</summary>
        public static EmissionInput Resolve(NetworkSpec spec, ImmutableArray<WeightsFile> files)
        {
            if (spec.Weights is null) return new EmissionInput(spec, null);
            var found = Find(spec.Weights, files);
            return new EmissionInput(spec, found.Count == 1 && Fits(found[0], spec) ? found[0] : null);
        }
    }
}
