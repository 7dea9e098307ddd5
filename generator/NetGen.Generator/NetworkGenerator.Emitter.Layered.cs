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
                        w.WriteLine($"ForwardLayer{layer.Number}(parameters, {x}, z{layer.Number}, {(layer.HasBatchNorm ? $"y{layer.Number}, " : "")}{a});");
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
                                w.WriteLine($"BackwardLayer{l}(parameters, {x}, z{l}, {(layer.HasBatchNorm ? $"y{l}, " : "")}a{l}, delta{l}, gradients{dx});");
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
            WriteBatchTraining(w, plan);
        }

        /// <summary>
        /// Training mode over a mini-batch, layer by layer: the whole batch goes through each layer before the next, so the
        /// dense products run as register-tiled batch kernels (DenseBatchKernels: 4 × 4 tiles, ∂L/∂W touched once per batch), and a
        /// normalized layer has the batch's mean and variance of every unit. Each sample has its own block of the batch
        /// buffer (z, y, a, δ, dropout mask and dropped input of every layer, at the per-sample offsets).
        /// </summary>
        private static void WriteBatchTraining(SourceWriter w, NetworkPlan plan)
        {
            int stride = plan.TrainingScratchLength;
            var statsOffset = new System.Collections.Generic.Dictionary<int, int>();
            int statsLength = 0;
            foreach (var layer in plan.Layers)
                if (layer.HasBatchNorm)
                {
                    statsOffset[layer.Number] = statsLength;
                    statsLength += 2 * layer.Units;
                }
            var output = plan.Output;
            string X(LayerPlan layer) => layer.HasInputDropout
                ? $"sample.Slice({layer.DroppedOffset}, {layer.Inputs})"
                : layer.IsFirst ? "inputs.Slice(b * InputSize, InputSize)" : $"sample.Slice({plan.Layers[layer.Number - 2].AOffset}, {layer.Inputs})";
            // The layer's input for the whole batch: a span starting at sample 0's values, and the stride between samples.
            string XBatch(LayerPlan layer) => layer.HasInputDropout
                ? $"batch.Slice({layer.DroppedOffset}), {stride}"
                : layer.IsFirst ? "inputs, InputSize" : $"batch.Slice({plan.Layers[layer.Number - 2].AOffset}), {stride}";
            string Weights(LayerPlan layer) => $"parameters.Slice({layer.WeightOffset}, {layer.WeightCount})";

            w.WriteLine(plan.HasBatchNorm
                ? "// Training mode over a mini-batch: one block of the batch buffer per sample, then each normalized layer's batch mean and 1/√(σ² + ε)."
                : "// Training mode over a mini-batch: one block of the batch buffer per sample (z, a, δ and any dropout mask of every layer).");
            w.WriteLine("[global::System.ThreadStatic]");
            w.WriteLine("private static float[]? t_netGenBatch;");
            w.WriteLine();
            w.WriteLine("/// <summary>");
            if (plan.HasBatchNorm)
            {
                w.WriteLine("/// Training mode over a mini-batch of <paramref name=\"count\"/> ≥ 2 samples stored row after row: returns the sum of their");
                w.WriteLine("/// losses and <b>adds</b> the gradient of that sum into <paramref name=\"gradients\"/>, through the batch statistics of every");
                w.WriteLine("/// batch normalization, whose running averages it updates in <paramref name=\"parameters\"/> (their gradients stay 0).");
            }
            else
            {
                w.WriteLine("/// Training mode over a mini-batch of <paramref name=\"count\"/> samples stored row after row: returns the sum of their");
                w.WriteLine("/// losses and <b>adds</b> the gradient of that sum into <paramref name=\"gradients\"/>, the whole batch one layer at a time.");
            }
            w.WriteLine("/// Dropout masks are drawn from <paramref name=\"random\"/> layer by layer, sample by sample, value by value.");
            w.WriteLine("/// </summary>");
            using (w.OpenBlock(TrainingBatchSignature))
            {
                w.WriteLine($"global::NetGen.ThrowHelper.CheckBatch(\"{plan.Spec.TypeName}\", count, inputs.Length, targets.Length, parameters.Length, gradients.Length, InputSize, OutputSize, ParameterCount);");
                w.WriteLine($"int needed = count * {stride} + {statsLength};");
                w.WriteLine("float[] buffer = t_netGenBatch is { } existing && existing.Length >= needed ? existing : (t_netGenBatch = new float[needed]);");
                w.WriteLine($"{Span} batch = buffer, stats = batch.Slice(count * {stride}, {statsLength});");
                w.WriteLine("float loss = 0f;");
                w.WriteLine();
                w.WriteLine("// Forward, one layer at a time over the whole batch");
                foreach (var layer in plan.Layers)
                {
                    int l = layer.Number, m = layer.Units, n = layer.Inputs;
                    w.WriteLine($"// {LayerTitle(layer)}");
                    if (layer.HasInputDropout)
                        using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                        {
                            w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                            string source = layer.IsFirst ? "inputs.Slice(b * InputSize, InputSize)" : $"sample.Slice({plan.Layers[l - 2].AOffset}, {n})";
                            w.WriteLine($"global::NetGen.DropoutKernels.Forward({source}, sample.Slice({layer.DroppedOffset}, {n}), sample.Slice({layer.MaskOffset}, {n}), {Literals.Float(layer.InputDropout)}, ref random);");
                        }
                    w.WriteLine($"// Z = X·Wᵀ + b for the whole batch: z_b,i = b_i + Σ_k W_i,k·x_b,k, in 4-sample × 4-row register tiles");
                    w.WriteLine($"global::NetGen.DenseBatchKernels.Forward({Weights(layer)}, parameters.Slice({layer.BiasOffset}, {m}), {XBatch(layer)}, batch.Slice({layer.ZOffset}), {stride}, count, rows: {m}, cols: {n});");
                    if (!layer.HasBatchNorm)
                        using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                        {
                            w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                            w.WriteLine($"Activate{l}(parameters, sample.Slice({layer.ZOffset}, {m}), {X(layer)}, sample.Slice({layer.AOffset}, {m}));");
                        }
                    if (layer.HasBatchNorm)
                    {
                        int so = statsOffset[l];
                        w.WriteLine($"// Batch normalization with the batch's μ and σ²; the running averages move by momentum {Literals.Math(layer.BatchNormMomentum)}");
                        w.WriteLine($"global::NetGen.BatchNormKernels.TrainingForward(batch, {stride}, count, {layer.ZOffset}, {layer.YOffset}, {m}, parameters.Slice({layer.GammaOffset}, {m}), parameters.Slice({layer.BetaOffset}, {m}),");
                        w.WriteLine($"    parameters.Slice({layer.MeanOffset}, {m}), parameters.Slice({layer.VarianceOffset}, {m}), {Literals.Float(layer.BatchNormMomentum)}, {Literals.Float(layer.BatchNormEpsilon)}, stats.Slice({so}, {m}), stats.Slice({so + m}, {m}));");
                        using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                        {
                            w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                            w.WriteLine($"Activate{l}(parameters, sample.Slice({layer.YOffset}, {m}), {X(layer)}, sample.Slice({layer.AOffset}, {m}));");
                        }
                    }
                }
                w.WriteLine();
                w.WriteLine("// Each sample's loss and the gradient that starts its backward pass");
                using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                {
                    w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                    string logits = output.HasBatchNorm ? $"sample.Slice({output.YOffset}, {output.Units})" : $"sample.Slice({output.ZOffset}, {output.Units})";
                    w.WriteLine($"loss += SampleLoss({logits}, sample.Slice({output.AOffset}, {output.Units}), targets.Slice(b * OutputSize, OutputSize), sample.Slice({output.DeltaOffset}, {output.Units}));");
                }
                w.WriteLine();
                w.WriteLine("// Backward, output to input, one layer at a time over the whole batch");
                for (int k = plan.Layers.Count - 1; k >= 0; k--)
                {
                    var layer = plan.Layers[k];
                    int l = layer.Number, m = layer.Units, n = layer.Inputs;
                    string pre = layer.HasBatchNorm ? $"sample.Slice({layer.YOffset}, {m})" : $"sample.Slice({layer.ZOffset}, {m})";
                    string dx = layer.IsFirst ? $"{Span}.Empty" : $"sample.Slice({plan.Layers[l - 2].DeltaOffset}, {n})";
                    w.WriteLine($"// {LayerTitle(layer)}");
                    using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                    {
                        w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                        w.WriteLine($"ActivationBackward{l}(parameters, {pre}, sample.Slice({layer.AOffset}, {m}), sample.Slice({layer.DeltaOffset}, {m}), gradients, {dx});");
                    }
                    if (layer.HasBatchNorm)
                    {
                        int so = statsOffset[l];
                        w.WriteLine("// ∂L/∂z through the batch statistics; adds ∂L/∂γ and ∂L/∂β");
                        w.WriteLine($"global::NetGen.BatchNormKernels.TrainingBackward(batch, {stride}, count, {layer.ZOffset}, {layer.DeltaOffset}, {m}, parameters.Slice({layer.GammaOffset}, {m}),");
                        w.WriteLine($"    stats.Slice({so}, {m}), stats.Slice({so + m}, {m}), gradients.Slice({layer.GammaOffset}, {m}), gradients.Slice({layer.BetaOffset}, {m}));");
                    }
                    bool skip = layer.Residual && !layer.IsFirst;
                    string dxBatch = layer.IsFirst ? $"{Span}.Empty, 0" : $"batch.Slice({plan.Layers[l - 2].DeltaOffset}), {stride}";
                    w.WriteLine(layer.IsFirst
                        ? "// ∂L/∂W += Σ_b δ_b·x_bᵀ and ∂L/∂b += Σ_b δ_b over the batch, in register tiles"
                        : $"// ∂L/∂W += Σ_b δ_b·x_bᵀ, ∂L/∂b += Σ_b δ_b and ∂L/∂x_b {(skip ? "+=" : "=")} Wᵀ·δ_b over the batch, in register tiles");
                    w.WriteLine($"global::NetGen.DenseBatchKernels.Backward({Weights(layer)}, {XBatch(layer)}, batch.Slice({layer.DeltaOffset}), {stride},");
                    w.WriteLine($"    gradients.Slice({layer.WeightOffset}, {layer.WeightCount}), gradients.Slice({layer.BiasOffset}, {m}), {dxBatch}, count, rows: {m}, cols: {n}{(skip ? ", accumulateInputGradients: true" : "")});");
                    if (layer.HasInputDropout && !layer.IsFirst)
                        using (w.OpenBlock("for (int b = 0; b < count; b++)"))
                        {
                            w.WriteLine($"{Span} sample = batch.Slice(b * {stride}, {stride});");
                            w.WriteLine($"global::NetGen.DropoutKernels.Backward({dx}, sample.Slice({layer.MaskOffset}, {n})); // ∂L/∂a = ∂L/∂d ⊙ m");
                        }
                }
                w.WriteLine("return loss;");
            }
            w.WriteLine();

            // The per-layer pieces the batch pass calls.
            w.WriteLine("/// <summary>The loss of one sample from its output layer's values, and ∂L/∂a (or δ for a fused loss) into the last argument.</summary>");
            string logitsName = (output.HasBatchNorm ? "y" : "z") + output.Number;
            using (w.OpenBlock($"private static float SampleLoss({ReadOnlySpan} {logitsName}, {ReadOnlySpan} a{output.Number}, {ReadOnlySpan} target, {Span} delta{output.Number})"))
            {
                WriteLayeredLoss(w, plan, train: true);
                w.WriteLine("return loss;");
            }
            w.WriteLine();
            foreach (var layer in plan.Layers)
            {
                int l = layer.Number, m = layer.Units, n = layer.Inputs;
                w.WriteLine($"/// <summary>{Xml(LayerTitle(layer))}: a = g(pre){(layer.Residual ? " + x" : "")}, pre being {(layer.HasBatchNorm ? "y = BN(z)" : "z")}.</summary>");
                using (w.OpenBlock($"private static void Activate{l}({ReadOnlySpan} parameters, {ReadOnlySpan} pre, {ReadOnlySpan} x, {Span} a)"))
                {
                    if (!layer.Residual) w.WriteLine("_ = x;");
                    WriteActivationBody(w, layer, "pre", "x", "a", unrolled: false);
                }
                w.WriteLine();
                bool deltaGiven = layer.IsOutput && plan.LossGivesDelta;
                w.WriteLine($"/// <summary>{Xml(LayerTitle(layer))}: turns ∂L/∂a into ∂L/∂pre in place{(deltaGiven ? " (here the fused loss already gave it)" : "")}{(layer.HasSlopes ? ", adds ∂L/∂α" : "")}{(layer.Residual && !layer.IsFirst ? ", and starts ∂L/∂x with the skip path's ∂L/∂a" : "")}.</summary>");
                using (w.OpenBlock($"private static void ActivationBackward{l}({ReadOnlySpan} parameters, {ReadOnlySpan} pre, {ReadOnlySpan} a, {Span} delta, {Span} gradients, {Span} dx)"))
                {
                    if (layer.Residual && !layer.IsFirst)
                        w.WriteLine($"delta.Slice(0, {m}).CopyTo(dx); // residual: ∂L/∂x starts as ∂L/∂a");
                    else
                        w.WriteLine("_ = dx;");
                    if (!layer.HasSlopes)
                        w.WriteLine("_ = gradients; _ = parameters;");
                    WriteActivationDerivative(w, layer, deltaGiven, "pre", unrolled: false);
                    w.WriteLine("_ = pre; _ = a;");
                }
                w.WriteLine();
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
                if (layer.HasBatchNorm)
                    w.WriteLine($"{Span} y{l} = scratch.Slice({layer.YOffset}, {m}); // after batch normalization");
                if (training && layer.HasInputDropout)
                    w.WriteLine($"{Span} mask{l} = scratch.Slice({layer.MaskOffset}, {layer.Inputs}), dropped{l} = scratch.Slice({layer.DroppedOffset}, {layer.Inputs});");
            }
        }

        private static void WriteLayeredLoss(SourceWriter w, NetworkPlan plan, bool train)
        {
            var output = plan.Output;
            int m = output.Units, l = output.Number;
            var loss = plan.Spec.Loss;
            string z = (output.HasBatchNorm ? "y" : "z") + l, a = "a" + l, delta = "delta" + l;
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
            bool bn = layer.HasBatchNorm;
            w.WriteLine($"/// <summary>{Xml(LayerTitle(layer))}, forward: z = W{s}·x + b{s}, " +
                        (bn ? "y = BN(z) with the running statistics, a = " : "a = ") +
                        $"{Xml(ActivationCatalog.Name(layer.Activation, layer.NegativeSlope))}({(bn ? "y" : "z")}).</summary>");
            using (w.OpenBlock($"private static void ForwardLayer{l}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {Span} z, {(bn ? $"{Span} y, " : "")}{Span} a)"))
            {
                w.WriteLine($"// W{s} = parameters[{layer.WeightOffset}..{layer.BiasOffset}) as {m}×{n}, row-major; b{s} = parameters[{layer.BiasOffset}..{layer.BiasOffset + m})");
                w.WriteLine($"{ReadOnlySpan} W = parameters.Slice({layer.WeightOffset}, {layer.WeightCount}), b = parameters.Slice({layer.BiasOffset}, {m});");
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
                if (bn)
                {
                    w.WriteLine($"// Batch normalization, inference mode: yᵢ = γᵢ·(zᵢ − μᵢ)/√(vᵢ + ε) + βᵢ with the running mean μ and variance v, ε = {Literals.Math(layer.BatchNormEpsilon)}");
                    w.WriteLine($"global::NetGen.BatchNormKernels.Forward(z, y, {BatchNormSpans(layer, "parameters")}, {Literals.Float(layer.BatchNormEpsilon)});");
                }
                WriteActivationBody(w, layer, bn ? "y" : "z", "x", "a", layer.Unrolled);
            }
            w.WriteLine();
        }

        /// <summary>
        /// The activation part of a layer's backward pass, in place on <c>delta</c> (∂L/∂a on entry): PReLU slope gradients,
        /// then δ = ∂L/∂a ⊙ g'(pre) unless the fused loss already gave δ. Shared by the per-sample and the batch kernels.
        /// </summary>
        private static void WriteActivationDerivative(SourceWriter w, LayerPlan layer, bool deltaGiven, string pre, bool unrolled)
        {
            int m = layer.Units;
            if (layer.HasSlopes)
            {
                w.WriteLine($"// ∂L/∂αᵢ += ∂L/∂aᵢ·{pre}ᵢ where {pre}ᵢ ≤ 0 (there aᵢ = αᵢ·{pre}ᵢ)");
                w.WriteLine($"{ReadOnlySpan} alpha = parameters.Slice({layer.SlopeOffset}, {m});");
                w.WriteLine($"{Span} galpha = gradients.Slice({layer.SlopeOffset}, {m});");
                if (unrolled)
                    for (int i = 0; i < m; i++)
                        w.WriteLine($"galpha[{i}] += {ActivationCatalog.SlopeGradient($"delta[{i}]", $"{pre}[{i}]")};");
                else
                    w.WriteLine($"for (int i = 0; i < {m}; i++) galpha[i] += {ActivationCatalog.SlopeGradient("delta[i]", $"{pre}[i]")};");
            }
            if (deltaGiven)
                return;
            w.WriteLine($"// δ = ∂L/∂a ⊙ g'({pre}),  {ActivationCatalog.DerivativeMath(layer.Activation, layer.NegativeSlope)}");
            string Delta(string i) => ActivationCatalog.Delta(layer.Activation, layer.NegativeSlope, $"delta[{i}]", $"{pre}[{i}]", $"a[{i}]", $"alpha[{i}]", layer.Residual);
            if (unrolled)
                for (int i = 0; i < m; i++)
                    w.WriteLine($"delta[{i}] = {Delta(i.ToString())};");
            else
                w.WriteLine($"for (int i = 0; i < {m}; i++) delta[i] = {Delta("i")};");
        }

        /// <summary>γ, β, running mean and running variance of a batch-normalized layer, as slices of <paramref name="buffer"/>.</summary>
        private static string BatchNormSpans(LayerPlan layer, string buffer) =>
            $"{buffer}.Slice({layer.GammaOffset}, {layer.Units}), {buffer}.Slice({layer.BetaOffset}, {layer.Units}), " +
            $"{buffer}.Slice({layer.MeanOffset}, {layer.Units}), {buffer}.Slice({layer.VarianceOffset}, {layer.Units})";

        /// <summary>a = g(pre) (+ x for a residual layer), softmax as a block; <paramref name="pre"/> is z, or y after batch normalization.</summary>
        private static void WriteActivationBody(SourceWriter w, LayerPlan layer, string pre, string x, string a, bool unrolled)
        {
            int m = layer.Units;
            if (layer.HasSlopes)
                w.WriteLine($"{ReadOnlySpan} alpha = parameters.Slice({layer.SlopeOffset}, {m}); // the learned PReLU slopes");
            if (layer.Activation == ActivationKind.Softmax)
            {
                w.WriteLine($"// {a} = softmax({pre}):  {ActivationCatalog.ForwardMath(ActivationKind.Softmax, 0f)}, max = maxⱼ {pre}ⱼ so no exponent overflows");
                w.WriteLine($"float max = {pre}[0];");
                w.WriteLine($"for (int i = 1; i < {m}; i++) max = {Math}.Max(max, {pre}[i]);");
                w.WriteLine("float sum = 0f;");
                using (w.OpenBlock($"for (int i = 0; i < {m}; i++)"))
                {
                    w.WriteLine($"{a}[i] = {Math}.Exp({pre}[i] - max);");
                    w.WriteLine($"sum += {a}[i];");
                }
                w.WriteLine($"for (int i = 0; i < {m}; i++) {a}[i] /= sum;");
                return;
            }
            w.WriteLine($"// {a} = g({pre}):  {ActivationCatalog.ForwardMath(layer.Activation, layer.NegativeSlope)}" + (layer.Residual ? $"; residual: {a} = g({pre}) + {x}" : ""));
            string Expression(string i) => ActivationCatalog.Forward(layer.Activation, layer.NegativeSlope, $"{pre}[{i}]", $"alpha[{i}]");
            if (unrolled)
                for (int i = 0; i < m; i++)
                    w.WriteLine(layer.Residual ? $"{a}[{i}] = ({Expression(i.ToString())}) + {x}[{i}];" : $"{a}[{i}] = {Expression(i.ToString())};");
            else
                w.WriteLine(layer.Residual
                    ? $"for (int i = 0; i < {m}; i++) {a}[i] = ({Expression("i")}) + {x}[i];"
                    : $"for (int i = 0; i < {m}; i++) {a}[i] = {Expression("i")};");
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
            bool bn = layer.HasBatchNorm;
            using (w.OpenBlock($"private static void BackwardLayer{l}({ReadOnlySpan} parameters, {ReadOnlySpan} x, {ReadOnlySpan} z, {(bn ? $"{ReadOnlySpan} y, " : "")}{ReadOnlySpan} a, {Span} delta, {Span} gradients{dxParameter})"))
            {
                string pre = bn ? "y" : "z";
                bool skipToInput = layer.Residual && !layer.IsFirst;
                if (skipToInput)
                {
                    w.WriteLine("// Residual: the skip path carries ∂L/∂a unchanged to ∂L/∂x, which the weights' part is then added to");
                    if (layer.Unrolled)
                        w.WriteLine("float " + Wrap(Range(m, i => $"r{i} = delta[{i}]"), ", ", 8, "      ") + ";");
                    else
                        w.WriteLine($"delta.Slice(0, {m}).CopyTo(dx);");
                }
                WriteActivationDerivative(w, layer, deltaGiven, pre, layer.Unrolled);
                if (!deltaGiven)
                {
                    if (layer.Residual && ActivationCatalog.DerivativeUsesA(layer.Activation))
                        w.WriteLine($"_ = a; // a = g({pre}) + x here, so g({pre}) is recomputed above");
                }
                else
                {
                    w.WriteLine(bn ? "_ = a; // δ comes from the fused loss" : "_ = z; _ = a; // δ comes from the fused loss");
                }
                if (bn)
                {
                    w.WriteLine($"// Batch normalization, inference mode, backward: ∂L/∂z = ∂L/∂y·γ/√(v + ε); adds ∂L/∂γ, ∂L/∂β, ∂L/∂μ and ∂L/∂v");
                    w.WriteLine($"global::NetGen.BatchNormKernels.Backward(delta, z, parameters.Slice({layer.GammaOffset}, {m}), parameters.Slice({layer.MeanOffset}, {m}), parameters.Slice({layer.VarianceOffset}, {m}), {Literals.Float(layer.BatchNormEpsilon)},");
                    w.WriteLine($"    gradients.Slice({layer.GammaOffset}, {m}), gradients.Slice({layer.BetaOffset}, {m}), gradients.Slice({layer.MeanOffset}, {m}), gradients.Slice({layer.VarianceOffset}, {m}));");
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
