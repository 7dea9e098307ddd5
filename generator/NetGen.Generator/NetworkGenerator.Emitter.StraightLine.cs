using System.Linq;
using NetGen.Generator.Catalog;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

public sealed partial class NetworkGenerator
{
    internal static partial class Emitter
    {
        // Straight-line shape: each public kernel is one method body with one statement per scalar of the derivation,
        // every value in a local (z1_3 is z¹₃). Chosen only when the whole Backward fits the JIT's budget.

        private static string X(LayerPlan layer, int j) => layer.IsFirst ? "x" + j : $"a{layer.Number - 1}_{j}";

        /// <summary>What the layer reads as input j: xⱼ or aⱼ of the layer below, or its dropped value dⱼ in training mode.</summary>
        private static string XIn(LayerPlan layer, int j, bool training) => training && layer.HasInputDropout ? $"d{layer.Number}_{j}" : X(layer, j);
        private static string Z(LayerPlan layer, int i) => $"z{layer.Number}_{i}";
        private static string A(LayerPlan layer, int i) => $"a{layer.Number}_{i}";
        private static string Da(LayerPlan layer, int i) => $"da{layer.Number}_{i}";
        private static string Delta(LayerPlan layer, int i) => $"delta{layer.Number}_{i}";
        private static string InputMath(LayerPlan layer) => layer.IsFirst ? "x" : "a" + Literals.Superscript(layer.Number - 1);
        private static string Alpha(LayerPlan layer, int i) => layer.HasSlopes ? $"alpha{layer.Number}[{i}]" : "";

        private static void WriteStraightLineKernels(SourceWriter w, NetworkPlan plan)
        {
            foreach (var (pass, training) in KernelsOf(plan))
            {
                WriteKernelDocs(w, pass, training);
                using (w.OpenBlock(KernelSignature(pass, training)))
                {
                    WriteKernelChecks(w, plan, target: pass != Pass.Predict, gradients: pass == Pass.Train, output: pass == Pass.Predict);
                    w.WriteLine();
                    WriteStraightForward(w, plan, pass, training);
                    if (pass == Pass.Predict)
                    {
                        w.WriteLine("// The network's output is a" + Sup(plan.Output) + ".");
                        var output = plan.Output;
                        w.WriteLine(string.Join("\n", Enumerable.Range(0, output.Units).Select(i => $"output[{i}] = {A(output, i)};")));
                    }
                    else
                    {
                        WriteStraightLoss(w, plan, pass);
                        if (pass == Pass.Train)
                            for (int l = plan.Layers.Count - 1; l >= 0; l--)
                                WriteStraightBackward(w, plan, plan.Layers[l], training);
                        w.WriteLine("return loss;");
                    }
                }
                w.WriteLine();
            }
        }

        private static void WriteStraightForward(SourceWriter w, NetworkPlan plan, Pass pass, bool training)
        {
            var first = plan.Layers[0];
            w.WriteLine("// x = input");
            w.WriteLine("float " + Wrap(Range(first.Inputs, j => $"x{j} = input[{j}]"), ", ", 8, "      ") + ";");
            w.WriteLine();
            foreach (var layer in plan.Layers)
            {
                int n = layer.Inputs, m = layer.Units, l = layer.Number;
                w.WriteLine("#region " + LayerTitle(layer));
                if (training && layer.HasInputDropout)
                {
                    float keep = 1f / (1f - layer.InputDropout);
                    w.WriteLine($"// Dropout (training mode) on {InputMath(layer)}, p = {Literals.Math(layer.InputDropout)}: keep each value with probability 1 − p and scale it by 1/(1 − p),");
                    w.WriteLine($"// so its expectation is unchanged: mⱼ = {Literals.Math(keep)} if u ≥ p (u uniform in [0, 1) from random), else 0; dⱼ = mⱼ·{InputMath(layer)}ⱼ");
                    for (int j = 0; j < n; j++)
                        w.WriteLine($"float m{l}_{j} = random.NextSingle() >= {Literals.Float(layer.InputDropout)} ? {Literals.Float(keep)} : 0f, d{l}_{j} = {X(layer, j)} * m{l}_{j};");
                }
                string index = n == 1 ? "i" : $"{n}·i + j";
                w.WriteLine($"// W{Sup(layer)} = parameters[{layer.WeightOffset}..{layer.BiasOffset}) as {m}×{n} (W{l}[{index}] = W{Sup(layer)}ᵢⱼ), b{Sup(layer)} = parameters[{layer.BiasOffset}..{layer.BiasOffset + m})");
                w.WriteLine($"{ReadOnlySpan} W{l} = parameters.Slice({layer.WeightOffset}, {layer.WeightCount}), b{l} = parameters.Slice({layer.BiasOffset}, {m});");
                if (layer.HasSlopes)
                {
                    w.WriteLine($"// α{Sup(layer)} = parameters[{layer.SlopeOffset}..{layer.SlopeOffset + m}), the learned PReLU slopes");
                    w.WriteLine($"{ReadOnlySpan} alpha{l} = parameters.Slice({layer.SlopeOffset}, {m});");
                }
                w.WriteLine($"// z{Sup(layer)} = W{Sup(layer)}·{InputMath(layer)} + b{Sup(layer)}:  z{Sup(layer)}ᵢ = b{Sup(layer)}ᵢ + Σⱼ W{Sup(layer)}ᵢⱼ·{InputMath(layer)}ⱼ");
                for (int i = 0; i < m; i++)
                {
                    var terms = new[] { $"b{l}[{i}]" }.Concat(Range(n, j => $"W{l}[{i * n + j}] * {XIn(layer, j, training)}")).ToArray();
                    w.WriteLine($"float {Z(layer, i)} = " + Wrap(terms, " + ", TermsPerLine, "    ") + ";");
                }

                bool fusedOutput = layer.IsOutput && plan.LossGivesDelta;
                if (layer.Activation == ActivationKind.Softmax)
                    WriteStraightSoftmax(w, layer, computeActivation: pass != Pass.Loss);
                else if (!(fusedOutput && pass == Pass.Loss))
                {
                    w.WriteLine($"// a{Sup(layer)} = {ActivationCatalog.Name(layer.Activation, layer.NegativeSlope)}(z{Sup(layer)}):  {ActivationCatalog.ForwardMath(layer.Activation, layer.NegativeSlope)}" +
                                (layer.Residual ? $"; residual: a{Sup(layer)} = g(z{Sup(layer)}) + {InputMath(layer)}" : ""));
                    for (int i = 0; i < m; i++)
                    {
                        string g = ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, Z(layer, i), Alpha(layer, i));
                        w.WriteLine(layer.Residual ? $"float {A(layer, i)} = ({g}) + {XIn(layer, i, training)};" : $"float {A(layer, i)} = {g};");
                    }
                }
                w.WriteLine("#endregion");
                w.WriteLine();
            }
        }

        private static void WriteStraightSoftmax(SourceWriter w, LayerPlan layer, bool computeActivation)
        {
            int m = layer.Units, l = layer.Number;
            w.WriteLine($"// a{Sup(layer)} = softmax(z{Sup(layer)}):  {ActivationCatalog.ForwardMath(ActivationKind.Softmax, 0f)}, subtracting max = maxⱼ z{Sup(layer)}ⱼ so no exponent overflows");
            w.WriteLine($"float max{l} = {Z(layer, 0)};");
            for (int i = 1; i < m; i++)
                w.WriteLine($"max{l} = {Math}.Max(max{l}, {Z(layer, i)});");
            for (int i = 0; i < m; i++)
                w.WriteLine($"float exp{l}_{i} = {Math}.Exp({Z(layer, i)} - max{l});");
            w.WriteLine($"float sum{l} = " + Wrap(Range(m, i => $"exp{l}_{i}"), " + ", TermsPerLine, "    ") + ";");
            if (computeActivation)
                for (int i = 0; i < m; i++)
                    w.WriteLine($"float {A(layer, i)} = exp{l}_{i} / sum{l};");
        }

        private static void WriteStraightLoss(SourceWriter w, NetworkPlan plan, Pass pass)
        {
            var output = plan.Output;
            int m = output.Units, l = output.Number;
            bool train = pass == Pass.Train;
            var loss = plan.Spec.Loss;
            w.WriteLine($"#region Loss: {LossCatalog.Name(loss)}");
            w.WriteLine("// y = target");
            w.WriteLine("float " + Wrap(Range(m, i => $"y{i} = target[{i}]"), ", ", 8, "      ") + ";");
            w.WriteLine("// " + LossCatalog.Math(loss, m));
            switch (loss)
            {
                case LossKind.MeanSquaredError:
                case LossKind.MeanAbsoluteError:
                    for (int i = 0; i < m; i++)
                        w.WriteLine($"float e{i} = {A(output, i)} - y{i};");
                    var terms = Range(m, i => loss == LossKind.MeanSquaredError ? $"e{i} * e{i}" : $"{Math}.Abs(e{i})");
                    w.WriteLine("float loss = " + Divide(Wrap(terms, " + ", TermsPerLine, "    "), m, m > 1) + ";");
                    if (train)
                    {
                        w.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                        for (int i = 0; i < m; i++)
                            w.WriteLine(loss == LossKind.MeanSquaredError
                                ? $"float {Da(output, i)} = {(m == 1 ? "2f" : $"2f / {m}f")} * e{i};"
                                : $"float {Da(output, i)} = {Divide($"(e{i} > 0f ? 1f : e{i} < 0f ? -1f : 0f)", m, false)};");
                    }
                    break;
                case LossKind.BinaryCrossEntropy:
                    var bce = Range(m, i => $"({Math}.Max({Z(output, i)}, 0f) - {Z(output, i)} * y{i} + {Math}.Log(1f + {Math}.Exp(-{Math}.Abs({Z(output, i)}))))");
                    w.WriteLine("float loss = " + Divide(Wrap(bce, " + ", 1, "    "), m, m > 1) + ";");
                    if (train)
                    {
                        w.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                        for (int i = 0; i < m; i++)
                            w.WriteLine($"float {Delta(output, i)} = {Divide($"({A(output, i)} - y{i})", m, false)};");
                    }
                    break;
                case LossKind.CrossEntropy:
                    w.WriteLine($"float logSumExp{l} = max{l} + {Math}.Log(sum{l});");
                    w.WriteLine("float loss = " + Wrap(Range(m, i => $"y{i} * (logSumExp{l} - {Z(output, i)})"), " + ", 3, "    ") + ";");
                    if (train)
                    {
                        w.WriteLine("// " + LossCatalog.GradientMath(loss, m));
                        w.WriteLine("float ySum = " + Wrap(Range(m, i => $"y{i}"), " + ", 12, "    ") + ";");
                        for (int i = 0; i < m; i++)
                            w.WriteLine($"float {Delta(output, i)} = {A(output, i)} * ySum - y{i};");
                    }
                    break;
            }
            w.WriteLine("#endregion");
            w.WriteLine();
        }

        private static void WriteStraightBackward(SourceWriter w, NetworkPlan plan, LayerPlan layer, bool training)
        {
            int n = layer.Inputs, m = layer.Units, l = layer.Number;
            w.WriteLine($"#region Layer {l} backward");
            if (!(layer.IsOutput && plan.LossGivesDelta))
            {
                if (layer.HasSlopes)
                {
                    w.WriteLine($"// ∂L/∂α{Sup(layer)}ᵢ += ∂L/∂a{Sup(layer)}ᵢ·z{Sup(layer)}ᵢ where z{Sup(layer)}ᵢ ≤ 0 (there aᵢ = αᵢ·zᵢ)");
                    w.WriteLine($"{Span} galpha{l} = gradients.Slice({layer.SlopeOffset}, {m});");
                    for (int i = 0; i < m; i++)
                        w.WriteLine($"galpha{l}[{i}] += {ActivationCatalog.SlopeGradient(Da(layer, i), Z(layer, i))};");
                }
                w.WriteLine($"// δ{Sup(layer)} = ∂L/∂a{Sup(layer)} ⊙ g'(z{Sup(layer)}),  {ActivationCatalog.DerivativeMath(layer.Activation, layer.NegativeSlope)}");
                for (int i = 0; i < m; i++)
                    w.WriteLine($"float {Delta(layer, i)} = {ActivationCatalog.Delta(layer.Activation, layer.NegativeSlope, Da(layer, i), Z(layer, i), A(layer, i), Alpha(layer, i), layer.Residual)};");
            }
            w.WriteLine($"{Span} gW{l} = gradients.Slice({layer.WeightOffset}, {layer.WeightCount}), gb{l} = gradients.Slice({layer.BiasOffset}, {m});");
            w.WriteLine($"// ∂L/∂b{Sup(layer)}ᵢ += δ{Sup(layer)}ᵢ");
            w.WriteLine(Wrap(Range(m, i => $"gb{l}[{i}] += {Delta(layer, i)};"), " ", 4, ""));
            w.WriteLine($"// ∂L/∂W{Sup(layer)}ᵢⱼ += δ{Sup(layer)}ᵢ·{InputMath(layer)}ⱼ");
            for (int i = 0; i < m; i++)
                w.WriteLine(Wrap(Range(n, j => $"gW{l}[{i * n + j}] += {Delta(layer, i)} * {XIn(layer, j, training)};"), " ", 4, ""));
            if (!layer.IsFirst)
            {
                var previous = plan.Layers[l - 2];
                bool dropped = training && layer.HasInputDropout;
                string Masked(string sum, int j) => dropped ? $"({sum}) * m{l}_{j}" : sum;
                if (layer.Residual)
                {
                    w.WriteLine($"// ∂L/∂a{Sup(previous)} = ∂L/∂a{Sup(layer)} + (W{Sup(layer)})ᵀ·δ{Sup(layer)}: the skip path passes ∂L/∂a{Sup(layer)} straight through" + (dropped ? "; then ⊙ m, the dropout mask" : ""));
                    for (int j = 0; j < n; j++)
                        w.WriteLine($"float {Da(previous, j)} = " + Masked(Wrap(new[] { Da(layer, j) }.Concat(Range(m, i => $"W{l}[{i * n + j}] * {Delta(layer, i)}")).ToArray(), " + ", TermsPerLine, "    "), j) + ";");
                }
                else
                {
                    w.WriteLine($"// ∂L/∂a{Sup(previous)} = (W{Sup(layer)})ᵀ·δ{Sup(layer)}:  ∂L/∂a{Sup(previous)}ⱼ = Σᵢ W{Sup(layer)}ᵢⱼ·δ{Sup(layer)}ᵢ" + (dropped ? ", then ⊙ m, the dropout mask" : ""));
                    for (int j = 0; j < n; j++)
                        w.WriteLine($"float {Da(previous, j)} = " + Masked(Wrap(Range(m, i => $"W{l}[{i * n + j}] * {Delta(layer, i)}"), " + ", TermsPerLine, "    "), j) + ";");
                }
            }
            w.WriteLine("#endregion");
            w.WriteLine();
        }
    }
}
