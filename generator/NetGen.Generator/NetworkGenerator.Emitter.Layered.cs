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
        // Layered shape: every layer gets a forward and a backward method over spans, unrolled or with SIMD kernels, so
        // no method outgrows the JIT's budget however many layers there are. The public kernels keep z, a and δ of
        // every layer in one scratch buffer and call the layer methods in order, then in reverse.

        private static void WriteLayeredKernels(SourceWriter w, NetworkPlan plan)
        {
            if (!plan.ScratchOnStack)
            {
                w.WriteLine($"// {plan.TrainingScratchLength} floats of scratch are too many for the stack; each thread keeps one buffer instead.");
                w.WriteLine("[global::System.ThreadStatic]");
                w.WriteLine("private static float[]? t_netGenScratch;");
                w.WriteLine();
            }
            foreach (var (pass, training) in KernelsOf(plan))
            {
                WriteKernelDocs(w, pass, training);
                using (w.OpenBlock(KernelSignature(pass, training)))
                {
                    WriteKernelChecks(w, plan, target: pass != Pass.Predict, gradients: pass == Pass.Train, output: pass == Pass.Predict);
                    w.WriteLine();
                    WriteScratch(w, plan, withDeltas: pass == Pass.Train, training);
                    w.WriteLine();
                    w.WriteLine("// Forward, layer by layer: zˡ = Wˡ·aˡ⁻¹ + bˡ, aˡ = g(zˡ)");
                    foreach (var layer in plan.Layers)
                    {
                        string x = LayerInput(layer, training);
                        if (training && layer.HasInputDropout)
                        {
                            string source = layer.IsFirst ? "input" : $"a{layer.Number - 1}";
                            w.WriteLine($"// Dropout (training mode) on {(layer.IsFirst ? "the input" : "a" + Literals.Superscript(layer.Number - 1))}, p = {Literals.Math(layer.InputDropout)}: mⱼ = 1/(1 − p) with probability 1 − p, else 0; dⱼ = mⱼ·{(layer.IsFirst ? "x" : "a")}ⱼ");
                            w.WriteLine($"global::NetGen.DropoutKernels.Forward({source}, {x}, mask{layer.Number}, {Literals.Float(layer.InputDropout)}, ref random);");
                        }
                        string a = layer.IsOutput && pass == Pass.Predict ? "output" : $"a{layer.Number}";
                        w.WriteLine($"ForwardLayer{layer.Number}(parameters, {x}, z{layer.Number}, {a});");
                    }
                    if (pass != Pass.Predict)
                    {
                        w.WriteLine();
                        WriteLayeredLoss(w, plan, pass == Pass.Train);
                        if (pass == Pass.Train)
                        {
                            w.WriteLine();
                            w.WriteLine("// Backward, output to input. Each call turns ∂L/∂aˡ into δˡ, adds ∂L/∂Wˡ and ∂L/∂bˡ, and writes ∂L/∂aˡ⁻¹.");
                            for (int i = plan.Layers.Count - 1; i >= 0; i--)
                            {
                                var layer = plan.Layers[i];
                                int l = layer.Number;
                                string x = LayerInput(layer, training);
                                string dx = layer.IsFirst ? "" : $", delta{l - 1}";
                                w.WriteLine($"BackwardLayer{l}(parameters, {x}, z{l}, a{l}, delta{l}, gradients{dx});");
                                if (training && layer.HasInputDropout && !layer.IsFirst)
                                    w.WriteLine($"global::NetGen.DropoutKernels.Backward(delta{l - 1}, mask{l}); // ∂L/∂a{Literals.Superscript(l - 1)} = ∂L/∂d ⊙ m");
                            }
                        }
                        w.WriteLine("return loss;");
                    }
                }
                w.WriteLine();
            }

            foreach (var layer in plan.Layers)
            {
                WriteLayerForward(w, layer);
                WriteLayerBackward(w, plan, layer);
            }
        }

        /// <summary>The span a layer reads as its input: the previous activation, or its dropped copy in training mode.</summary>
        private static string LayerInput(LayerPlan layer, bool training) =>
            training && layer.HasInputDropout ? $"dropped{layer.Number}" : layer.IsFirst ? "input" : $"a{layer.Number - 1}";

        private static void WriteScratch(SourceWriter w, NetworkPlan plan, bool withDeltas, bool training = false)
        {
            int length = training ? plan.TrainingScratchLength : withDeltas ? plan.ScratchLength : plan.ForwardScratchLength;
            w.WriteLine(training
                ? $"// Scratch: zˡ and aˡ of every layer, then δˡ of every layer, then each dropout's mask and dropped values: {length} floats."
                : withDeltas
                ? $"// Scratch: zˡ and aˡ of every layer, then δˡ of every layer: {length} floats."
                : $"// Scratch: zˡ and aˡ of every layer: {length} floats.");
            w.WriteLine(plan.ScratchOnStack
                ? $"{Span} scratch = stackalloc float[{length}];"
                : $"{Span} scratch = t_netGenScratch ??= new float[{plan.TrainingScratchLength}];");
            foreach (var layer in plan.Layers)
            {
                int l = layer.Number, m = layer.Units;
                w.WriteLine($"{Span} z{l} = scratch.Slice({layer.ZOffset}, {m}), a{l} = scratch.Slice({layer.AOffset}, {m})" +
                            (withDeltas || training ? $", delta{l} = scratch.Slice({layer.DeltaOffset}, {m});" : ";"));
                if (training && layer.HasInputDropout)
                    w.WriteLine($"{Span} mask{l} = scratch.Slice({layer.MaskOffset}, {layer.Inputs}), dropped{l} = scratch.Slice({layer.DroppedOffset}, {layer.Inputs});");
            }
        }

        private static void WriteLayeredLoss(SourceWriter w, NetworkPlan plan, bool train)
        {
            var output = plan.Output;
            int m = output.Units, l = output.Number;
            var loss = plan.Spec.Loss;
            string z = "z" + l, a = "a" + l, delta = "delta" + l;
            w.WriteLine($"// Loss: {LossCatalog.Math(loss, m)}");
            if (train)
                w.WriteLine($"// and the gradient that starts the backward pass, into delta{l}: {LossCatalog.GradientMath(loss, m)}");
            switch (loss)
            {
                case LossKind.MeanSquaredError:
                case LossKind.MeanAbsoluteError:
                    w.WriteLine("float loss = 0f;");
                    using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                    {
                        w.WriteLine($"float e = {a}[i] - target[i];");
                        if (loss == LossKind.MeanSquaredError)
                        {
                            w.WriteLine("loss += e * e;");
                            if (train) w.WriteLine($"{delta}[i] = {(m == 1 ? "2f" : $"2f / {m}f")} * e;");
                        }
                        else
                        {
                            w.WriteLine($"loss += {Math}.Abs(e);");
                            if (train) w.WriteLine($"{delta}[i] = {Divide("(e > 0f ? 1f : e < 0f ? -1f : 0f)", m, false)};");
                        }
                    }
                    if (m > 1) w.WriteLine($"loss /= {m}f;");
                    break;
                case LossKind.BinaryCrossEntropy:
                    w.WriteLine("float loss = 0f;");
                    using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                    {
                        w.WriteLine($"float zi = {z}[i];");
                        w.WriteLine($"loss += {Math}.Max(zi, 0f) - zi * target[i] + {Math}.Log(1f + {Math}.Exp(-{Math}.Abs(zi)));");
                        if (train) w.WriteLine($"{delta}[i] = {Divide($"({a}[i] - target[i])", m, false)};");
                    }
                    if (m > 1) w.WriteLine($"loss /= {m}f;");
                    break;
                case LossKind.CrossEntropy:
                    w.WriteLine($"float max = {z}[0];");
                    w.WriteLine($"for (int i = 1; i < {m}; i++) max = {Math}.Max(max, {z}[i]);");
                    w.WriteLine("float sum = 0f;");
                    w.WriteLine($"for (int i = 0; i < {m}; i++) sum += {Math}.Exp({z}[i] - max);");
                    w.WriteLine($"float logSumExp = max + {Math}.Log(sum);");
                    w.WriteLine(train ? "float loss = 0f, ySum = 0f;" : "float loss = 0f;");
                    using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                    {
                        w.WriteLine($"loss += target[i] * (logSumExp - {z}[i]);");
                        if (train) w.WriteLine("ySum += target[i];");
                    }
                    if (train)
                        w.WriteLine($"for (int i = 0; i < {m}; i++) {delta}[i] = {a}[i] * ySum - target[i];");
                    break;
            }
        }

        private static void WriteLayerForward(SourceWriter w, LayerPlan layer)
        {
            int n = layer.Inputs, m = layer.Units, l = layer.Number;
            string s = Sup(layer);
            w.WriteLine($"/// <summary>{Xml(LayerTitle(layer))}, forward: z = W{s}·x + b{s}, a = {Xml(ActivationCatalog.Name(layer.Activation, layer.NegativeSlope))}(z).</summary>");
            using (w.OpenBlock($"private static void ForwardLayer{l}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {Span} z, {Span} a)"))
            {
                w.WriteLine($"// W{s} = parameters[{layer.WeightOffset}..{layer.BiasOffset}) as {m}×{n}, row-major; b{s} = parameters[{layer.BiasOffset}..{layer.BiasOffset + m})");
                w.WriteLine($"{ReadOnlySpan} W = parameters.Slice({layer.WeightOffset}, {layer.WeightCount}), b = parameters.Slice({layer.BiasOffset}, {m});");
                if (layer.HasSlopes)
                    w.WriteLine($"{ReadOnlySpan} alpha = parameters.Slice({layer.SlopeOffset}, {m}); // the learned PReLU slopes");
                if (layer.Unrolled)
                {
                    w.WriteLine($"// z = W·x + b:  zᵢ = bᵢ + Σⱼ Wᵢⱼ·xⱼ, with Wᵢⱼ = W[{(n == 1 ? "i" : $"{n}·i + j")}]");
                    w.WriteLine("float " + Wrap(Range(n, j => $"x{j} = x[{j}]"), ", ", 8, "      ") + ";");
                    for (int i = 0; i < m; i++)
                    {
                        var terms = new[] { $"b[{i}]" }.Concat(Range(n, j => $"W[{i * n + j}] * x{j}")).ToArray();
                        w.WriteLine($"z[{i}] = " + Wrap(terms, " + ", TermsPerLine, "    ") + ";");
                    }
                }
                else
                {
                    w.WriteLine($"// z = W·x + b: {m} dot products of length {n}");
                    w.WriteLine($"global::NetGen.DenseKernels.Forward(W, b, x, z, rows: {m}, cols: {n});");
                }
                if (layer.Activation == ActivationKind.Softmax)
                {
                    w.WriteLine($"// a = softmax(z):  {ActivationCatalog.ForwardMath(ActivationKind.Softmax, 0f)}, max = maxⱼ zⱼ so no exponent overflows");
                    w.WriteLine("float max = z[0];");
                    w.WriteLine($"for (int i = 1; i < {m}; i++) max = {Math}.Max(max, z[i]);");
                    w.WriteLine("float sum = 0f;");
                    using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                    {
                        w.WriteLine($"a[i] = {Math}.Exp(z[i] - max);");
                        w.WriteLine("sum += a[i];");
                    }
                    w.WriteLine($"for (int i = 0; i < {m}; i++) a[i] /= sum;");
                }
                else
                {
                    w.WriteLine($"// a = g(z):  {ActivationCatalog.ForwardMath(layer.Activation, layer.NegativeSlope)}" + (layer.Residual ? "; residual: a = g(z) + x" : ""));
                    if (layer.Unrolled)
                        for (int i = 0; i < m; i++)
                            w.WriteLine(layer.Residual
                                ? $"a[{i}] = ({ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, $"z[{i}]", $"alpha[{i}]")}) + x[{i}];"
                                : $"a[{i}] = {ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, $"z[{i}]", $"alpha[{i}]")};");
                    else
                        w.WriteLine(layer.Residual
                            ? $"for (int i = 0; i < {m}; i++) a[i] = ({ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, "z[i]", "alpha[i]")}) + x[i];"
                            : $"for (int i = 0; i < {m}; i++) a[i] = {ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, "z[i]", "alpha[i]")};");
                }
            }
            w.WriteLine();
        }

        private static void WriteLayerBackward(SourceWriter w, NetworkPlan plan, LayerPlan layer)
        {
            int n = layer.Inputs, m = layer.Units, l = layer.Number;
            string s = Sup(layer);
            bool deltaGiven = layer.IsOutput && plan.LossGivesDelta;
            w.WriteLine("/// <summary>");
            w.WriteLine($"/// {Xml(LayerTitle(layer))}, backward. On entry <paramref name=\"delta\"/> holds " +
                        (deltaGiven ? "δ = ∂L/∂z from the fused loss." : "∂L/∂a; it is turned into δ = ∂L/∂z in place."));
            w.WriteLine($"/// Adds ∂L/∂W{s} and ∂L/∂b{s} into <paramref name=\"gradients\"/>" +
                        (layer.IsFirst ? " (the first layer needs no ∂L/∂x)." : " and writes ∂L/∂x = (W" + s + ")ᵀ·δ into <paramref name=\"dx\"/>."));
            w.WriteLine("/// </summary>");
            string dxParameter = layer.IsFirst ? "" : $", {Span} dx";
            using (w.OpenBlock($"private static void BackwardLayer{l}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {ReadOnlySpan} z, {ReadOnlySpan} a, {Span} delta, {Span} gradients{dxParameter})"))
            {
                bool skipToInput = layer.Residual && !layer.IsFirst;
                if (skipToInput)
                {
                    w.WriteLine("// Residual: the skip path carries ∂L/∂a unchanged to ∂L/∂x, which the weights' part is then added to");
                    if (layer.Unrolled)
                        w.WriteLine("float " + Wrap(Range(m, i => $"r{i} = delta[{i}]"), ", ", 8, "      ") + ";");
                    else
                        w.WriteLine($"delta.Slice(0, {m}).CopyTo(dx);");
                }
                if (layer.HasSlopes)
                {
                    w.WriteLine("// ∂L/∂αᵢ += ∂L/∂aᵢ·zᵢ where zᵢ ≤ 0 (there aᵢ = αᵢ·zᵢ)");
                    w.WriteLine($"{ReadOnlySpan} alpha = parameters.Slice({layer.SlopeOffset}, {m});");
                    w.WriteLine($"{Span} galpha = gradients.Slice({layer.SlopeOffset}, {m});");
                    if (layer.Unrolled)
                        for (int i = 0; i < m; i++)
                            w.WriteLine($"galpha[{i}] += {ActivationCatalog.SlopeGradient($"delta[{i}]", $"z[{i}]")};");
                    else
                        w.WriteLine($"for (int i = 0; i < {m}; i++) galpha[i] += {ActivationCatalog.SlopeGradient("delta[i]", "z[i]")};");
                }
                if (!deltaGiven)
                {
                    w.WriteLine($"// δ = ∂L/∂a ⊙ g'(z),  {ActivationCatalog.DerivativeMath(layer.Activation, layer.NegativeSlope)}");
                    string Value(string z, string a, string alpha) =>
                        layer.Residual && ActivationCatalog.DerivativeUsesA(layer.Activation)
                            ? "(" + ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, z, alpha) + ")"
                            : a;
                    if (layer.Unrolled)
                        for (int i = 0; i < m; i++)
                            w.WriteLine($"delta[{i}] = {ActivationCatalog.Delta(layer.Activation, layer.NegativeSlope, $"delta[{i}]", $"z[{i}]", Value($"z[{i}]", $"a[{i}]", $"alpha[{i}]"), $"alpha[{i}]")};");
                    else
                        w.WriteLine($"for (int i = 0; i < {m}; i++) delta[i] = {ActivationCatalog.Delta(layer.Activation, layer.NegativeSlope, "delta[i]", "z[i]", Value("z[i]", "a[i]", "alpha[i]"), "alpha[i]")};");
                    if (layer.Residual && ActivationCatalog.DerivativeUsesA(layer.Activation))
                        w.WriteLine("_ = a; // a = g(z) + x here, so g(z) is recomputed from z above");
                }
                else
                {
                    w.WriteLine("_ = z; _ = a; // δ comes from the fused loss");
                }
                w.WriteLine($"{ReadOnlySpan} W = parameters.Slice({layer.WeightOffset}, {layer.WeightCount});");
                w.WriteLine($"{Span} gW = gradients.Slice({layer.WeightOffset}, {layer.WeightCount}), gb = gradients.Slice({layer.BiasOffset}, {m});");
                if (layer.Unrolled)
                {
                    w.WriteLine("float " + Wrap(Range(m, i => $"d{i} = delta[{i}]"), ", ", 8, "      ") + ";");
                    w.WriteLine("float " + Wrap(Range(n, j => $"x{j} = x[{j}]"), ", ", 8, "      ") + ";");
                    w.WriteLine("// ∂L/∂bᵢ += δᵢ");
                    w.WriteLine(Wrap(Range(m, i => $"gb[{i}] += d{i};"), " ", 4, ""));
                    w.WriteLine("// ∂L/∂Wᵢⱼ += δᵢ·xⱼ");
                    for (int i = 0; i < m; i++)
                        w.WriteLine(Wrap(Range(n, j => $"gW[{i * n + j}] += d{i} * x{j};"), " ", 4, ""));
                    if (!layer.IsFirst)
                    {
                        w.WriteLine(skipToInput ? "// ∂L/∂x = ∂L/∂a + Wᵀ·δ:  ∂L/∂xⱼ = rⱼ + Σᵢ Wᵢⱼ·δᵢ" : "// ∂L/∂x = Wᵀ·δ:  ∂L/∂xⱼ = Σᵢ Wᵢⱼ·δᵢ");
                        for (int j = 0; j < n; j++)
                        {
                            var terms = Range(m, i => $"W[{i * n + j}] * d{i}");
                            if (skipToInput) terms = new[] { $"r{j}" }.Concat(terms).ToArray();
                            w.WriteLine($"dx[{j}] = " + Wrap(terms, " + ", TermsPerLine, "    ") + ";");
                        }
                    }
                    else
                    {
                        w.WriteLine("_ = W;");
                    }
                }
                else
                {
                    w.WriteLine(layer.IsFirst
                        ? "// ∂L/∂W += δ·xᵀ (∂L/∂Wᵢⱼ += δᵢ·xⱼ) and ∂L/∂b += δ"
                        : "// ∂L/∂W += δ·xᵀ (∂L/∂Wᵢⱼ += δᵢ·xⱼ), ∂L/∂b += δ and ∂L/∂x = Wᵀ·δ (∂L/∂xⱼ = Σᵢ Wᵢⱼ·δᵢ)");
                    w.WriteLine($"global::NetGen.DenseKernels.Backward(W, x, delta, gW, gb, {(layer.IsFirst ? $"{Span}.Empty" : "dx")}, rows: {m}, cols: {n}{(skipToInput ? ", accumulateInputGradients: true" : "")});");
                }
            }
            w.WriteLine();
        }
    }
}
