using System.Collections.Generic;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// A recurrent layer over the sequence — Elman, GRU or LSTM — in PyTorch's parameter layout and gate order:
/// W_ih [gates·H, F], W_hh [gates·H, H], b_ih [gates·H], b_hh [gates·H]. Its forward pass keeps every step's state
/// (and gates) in the layer's cache; its backward pass runs back through time from the last step (BPTT). The code
/// calls <c>NetGen.RecurrentKernels</c> with every size as a literal; one instance per runtime kind.
/// </summary>
internal sealed class RecurrentOp : OpKind
{
    private const string Span = "global::System.Span<float>";
    private const string ReadOnlySpanType = "global::System.ReadOnlySpan<float>";

    public RecurrentOp(string runtimeKind) => RuntimeKind = runtimeKind;

    public override string RuntimeKind { get; }

    public override bool GradientInPlace => false;

    /// <summary>The batch runs through time together: each step's products cover every sample (RecurrentKernels.BatchForward).</summary>
    public override bool BatchWide => true;

    /// <summary>The time loop has no straight-line form yet: a network with a recurrent layer takes the layered shape.</summary>
    public override bool HasScalarForm => false;

    public override string CacheContents => "states, gates, step temporaries";

    public override string NoScalarFormReason =>
        "a recurrent layer is unrolled inside methods of its own (its states, a local per unit and step, would crowd one method)";

    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        var r = (RecurrentSpec)spec;
        output = r.ReturnSequences ? Shape.Sequence(input.Steps, r.Units) : Shape.Features(r.Units);
        problem = input.IsSequence ? "" :
            $"{Name(r.Cell)} layers read a sequence, but its input is the vector {input}; set SequenceLength on [Network] " +
            "(and ReturnSequences = true on a recurrent layer before it)";
        return input.IsSequence;
    }

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "h";

    public static int Gates(CellKind cell) => cell switch { CellKind.Gru => 3, CellKind.Lstm => 4, _ => 1 };

    /// <summary>The name in the summary and messages: Elman (tanh), GRU, LSTM.</summary>
    public static string Name(CellKind cell) => cell switch
    {
        CellKind.ElmanTanh => "Elman (tanh)",
        CellKind.ElmanReLU => "Elman (ReLU)",
        CellKind.Gru => "GRU",
        _ => "LSTM",
    };

    /// <summary>
    /// Floats of cache per sample: the states; GRU's r, z, n and W_hn·h + b_hn, or LSTM's cells and four gates, per step;
    /// then the step temporaries — the formula of <c>RecurrentKernels.CacheLength</c> (a test compares the two).
    /// </summary>
    public static int CacheLength(CellKind cell, int steps, int units)
    {
        long th = (long)steps * units;
        long length = cell switch
        {
            CellKind.Gru => 5 * th + 7L * units,
            CellKind.Lstm => 6 * th + 10L * units,
            _ => th + 3L * units,
        };
        return (int)System.Math.Min(length, int.MaxValue); // the parser refuses networks this large (NG0016)
    }

    public override int CacheLength(OpSpec spec, Shape input, Shape output)
    {
        var r = (RecurrentSpec)spec;
        return CacheLength(r.Cell, input.Steps, r.Units);
    }

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        var r = (RecurrentSpec)spec;
        int l = spec.Layer, rows = Gates(r.Cell) * r.Units, f = input.Width, h = r.Units;
        string reason = $"uniform on ±1/√{h} (PyTorch's recurrent layers)";
        var wih = new BlockPlan($"Wih{l}", $"W_ih{Sup(l)}", Roles.Weight, offset, rows, f, true, InitRule.RecurrentUniform, FanIn: h, InitReason: reason);
        var whh = new BlockPlan($"Whh{l}", $"W_hh{Sup(l)}", Roles.RecurrentWeight, offset + wih.Length, rows, h, true, InitRule.RecurrentUniform, FanIn: h, InitReason: reason);
        // An LSTM's forget gate (PyTorch's second block, rows [H, 2H)) may start open: b_ih,f = ForgetBias, b_hh,f = 0.
        RowOverride? forgetIh = null, forgetHh = null;
        if (r.Cell == CellKind.Lstm && r.ForgetBias is { } forget)
        {
            string value = Literals.Math(forget);
            string total = $"the forget gate starts open, b_ih,f = {value} and b_hh,f = 0, so fₜ ≈ σ({value}) ([Lstm(ForgetBias = {value})])";
            forgetIh = new RowOverride(h, h, forget, total);
            forgetHh = new RowOverride(h, h, 0f, total);
        }
        var bih = new BlockPlan($"bih{l}", $"b_ih{Sup(l)}", Roles.Bias, whh.Offset + whh.Length, rows, 1, true, InitRule.RecurrentUniform, FanIn: h, InitReason: reason, ThenRows: forgetIh);
        var bhh = new BlockPlan($"bhh{l}", $"b_hh{Sup(l)}", Roles.RecurrentBias, bih.Offset + rows, rows, 1, true, InitRule.RecurrentUniform, FanIn: h, InitReason: reason, ThenRows: forgetHh);
        return new[] { wih, whh, bih, bhh };
    }

    /// <summary>Per step: W_ih·xₜ and W_hh·hₜ₋₁ (2 FLOPs per weight) and the biases.</summary>
    public override long ForwardFlops(OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        long rows = Gates(r.Cell) * (long)r.Units;
        return Saturating.Multiply(op.Input.Shape.Steps, Saturating.Add(Saturating.Multiply(2 * rows, op.Input.Shape.Width + (long)r.Units), 2 * rows));
    }

    /// <summary>Per step: ∂L/∂W_ih and ∂L/∂W_hh (2 per weight), ∂L/∂hₜ₋₁ = W_hhᵀ·δ, and ∂L/∂xₜ unless the input needs none.</summary>
    public override long BackwardFlops(OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        long rows = Gates(r.Cell) * (long)r.Units, f = op.Input.Shape.Width, h = r.Units;
        long perStep = Saturating.Add(Saturating.Multiply(2 * rows, f + 2 * h), op.Input.HasGradient ? Saturating.Multiply(2 * rows, f) : 0);
        return Saturating.Multiply(op.Input.Shape.Steps, perStep);
    }

    /// <summary>
    /// An Elman layer is unrolled — one statement per unit and step, a region per step — when its step is as small as an
    /// unrolled dense layer (H·(F + H) ≤ <see cref="CodeShape.AutoUnrollMaxWeights"/> weights) and its whole backward
    /// pass through time fits one method's JIT budget; under <c>Unrolling.Never</c>, and for GRU and LSTM, the time loop
    /// calls the register-tiled kernels.
    /// </summary>
    public override bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) =>
        unrolling != UnrollingKind.Never && IsUnrollable((RecurrentSpec)spec, input.Steps, input.Width);

    public static bool IsUnrollable(RecurrentSpec r, int steps, int inputs)
    {
        if (r.Cell is not (CellKind.ElmanTanh or CellKind.ElmanReLU)) return false;
        long h = r.Units, f = inputs, t = steps;
        if (h * (f + h) > CodeShape.AutoUnrollMaxWeights) return false;
        // Backward: W_hhᵀ·δ per step, ∂L/∂W_ih, ∂L/∂W_hh and ∂L/∂x (the largest of the two methods); locals: the states and δ.
        long multiplyAdds = t * h * h + t * h * f + (t - 1) * h * h + t * h * f;
        long locals = 2 * t * h + h;
        return multiplyAdds <= CodeShape.MethodMaxMultiplyAdds && locals <= CodeShape.StraightLineMaxLocals;
    }

    public override string Title(OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        return $"{Name(r.Cell)} {op.Input.Shape} → {op.Output.Shape}";
    }

    public override string? SummaryName(NetworkPlan plan, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        string kind = r.Cell switch { CellKind.ElmanTanh => "Recurrent {0} (tanh)", CellKind.ElmanReLU => "Recurrent {0} (ReLU)", CellKind.Gru => "GRU {0}", _ => "LSTM {0}" };
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, kind, op.Layer) + (r.ReturnSequences ? ", sequences" : "");
    }

    public override string ArchitectureTerm(OpSpec spec)
    {
        var r = (RecurrentSpec)spec;
        string units = r.Units.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string term = r.Cell switch
        {
            CellKind.ElmanTanh => "elman(" + units + ",tanh",
            CellKind.ElmanReLU => "elman(" + units + ",relu",
            CellKind.Gru => "gru(" + units,
            _ => "lstm(" + units,
        };
        return r.ReturnSequences ? term + ",sequences" : term;
    }

    public override string RuntimeSettings(OpSpec spec) =>
        ((RecurrentSpec)spec).Cell switch
        {
            CellKind.ElmanTanh => "Activation = global::NetGen.Activation.Tanh",
            CellKind.ElmanReLU => "Activation = global::NetGen.Activation.ReLU",
            _ => "",
        };

    // ── Code ──

    public override void ScalarForward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("A recurrent layer has no straight-line form (HasScalarForm is false).");

    public override void ScalarBackward(ScalarCode c, OpPlan op) =>
        throw new System.InvalidOperationException("A recurrent layer has no straight-line form (HasScalarForm is false).");

    private static string Cell(RecurrentSpec r) => "global::NetGen.RecurrentKernels.Cell." + r.Cell;

    private static string Sizes(OpPlan op) =>
        $"steps: {op.Input.Shape.Steps}, inputs: {op.Input.Shape.Width}, units: {op.As<RecurrentSpec>().Units}";

    /// <summary>The forward pass's equations, as comments above the kernel call.</summary>
    private static void ForwardComments(SourceWriter w, OpPlan op, string output)
    {
        var r = op.As<RecurrentSpec>();
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        string s = Sup(op.Layer), steps = op.Input.Shape.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (r.Cell)
        {
            case CellKind.Gru:
                w.WriteLine($"// For t = 1…{steps}, h{s}₀ = 0, with [r; z; n] blocks of W_ih{s}, W_hh{s}, b_ih{s}, b_hh{s} (PyTorch's gate order):");
                w.WriteLine("//   rₜ = σ(W_ir·xₜ + b_ir + W_hr·hₜ₋₁ + b_hr),  zₜ = σ(W_iz·xₜ + b_iz + W_hz·hₜ₋₁ + b_hz)");
                w.WriteLine("//   nₜ = tanh(W_in·xₜ + b_in + rₜ ⊙ (W_hn·hₜ₋₁ + b_hn)),  hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁");
                break;
            case CellKind.Lstm:
                w.WriteLine($"// For t = 1…{steps}, h{s}₀ = c{s}₀ = 0, with [i; f; g; o] blocks of W_ih{s}, W_hh{s}, b_ih{s}, b_hh{s} (PyTorch's gate order):");
                w.WriteLine("//   [iₜ; fₜ; gₜ; oₜ] = [σ; σ; tanh; σ](W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh)");
                w.WriteLine("//   cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ,  hₜ = oₜ ⊙ tanh(cₜ)");
                break;
            default:
                w.WriteLine($"// For t = 1…{steps}, h{s}₀ = 0:  h{s}ₜ = {(r.Cell == CellKind.ElmanReLU ? "max(0, ·)" : "tanh")}(W_ih{s}·xₜ + b_ih{s} + W_hh{s}·h{s}ₜ₋₁ + b_hh{s})");
                break;
        }
        w.WriteLine($"// Every state{(r.Cell == CellKind.ElmanTanh || r.Cell == CellKind.ElmanReLU ? "" : " and gate")} stays in the cache for the backward pass; {output} gets " +
                      (r.ReturnSequences ? $"every state h{s}₁…h{s}{Literals.Subscript(op.Input.Shape.Steps)}." : $"the last state h{s}{Literals.Subscript(op.Input.Shape.Steps)}."));
    }

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        if (c.Unrolled) { UnrolledElmanForward(c, op); return; }
        var r = op.As<RecurrentSpec>();
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        ForwardComments(c.W, op, c.Span(op.Output));
        c.W.WriteLine($"global::NetGen.RecurrentKernels.Forward({Cell(r)}, {wih.Slice("parameters")}, {whh.Slice("parameters")}, {bih.Slice("parameters")}, {bhh.Slice("parameters")},");
        c.W.WriteLine($"    {c.Span(op.Input)}, {c.Span(op.Output)}, {c.Cache(op)}, {Sizes(op)});");
    }

    private static string Blocks(OpPlan op, string buffer, bool biases)
    {
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        return biases
            ? $"{wih.Slice(buffer)}, {whh.Slice(buffer)}, {bih.Slice(buffer)}, {bhh.Slice(buffer)}"
            : $"{wih.Slice(buffer)}, {whh.Slice(buffer)}";
    }

    public override void BatchForward(BatchCode c, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        ForwardComments(c.W, op, op.Output.Name);
        c.W.WriteLine($"// The whole batch steps through time together: at each t, W_ih·xₜ and W_hh·hₜ₋₁ of every sample are one register-tiled product.");
        c.W.WriteLine($"global::NetGen.RecurrentKernels.BatchForward({Cell(r)}, {Blocks(op, "parameters", biases: true)},");
        c.W.WriteLine($"    {c.Strided(op.Input)}, {c.Strided(op.Output)}, sequences: {(r.ReturnSequences ? "true" : "false")}, batch.Slice({Layout.Cache(op)}), {Layout.Stride}, count, {Sizes(op)});");
    }

    public override void BatchBackward(BatchCode c, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        BackwardComments(c.W, op);
        c.W.WriteLine("// The whole batch goes back through time together: each step's ∂L/∂W is summed over the samples in one tiled pass.");
        c.W.WriteLine($"global::NetGen.RecurrentKernels.BatchBackward({Cell(r)}, {Blocks(op, "parameters", biases: false)}, {c.Strided(op.Input)},");
        c.W.WriteLine($"    {c.GradientStrided(op.Output)}, sequences: {(r.ReturnSequences ? "true" : "false")}, batch.Slice({Layout.Cache(op)}), {Layout.Stride},");
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        c.W.WriteLine($"    {wih.Slice("gradients")}, {whh.Slice("gradients")}, {bih.Slice("gradients")}, {bhh.Slice("gradients")}, {c.GradientStrided(op.Input)}, count, {Sizes(op)});");
    }

    /// <summary>Backpropagation through time's equations, as comments above the kernel call.</summary>
    private static void BackwardComments(SourceWriter w, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        string s = Sup(op.Layer);
        w.WriteLine($"// Backpropagation through time, t = {op.Input.Shape.Steps}…1, ∂L/∂h{s}ₜ = (∂L/∂output at step t) + (what step t + 1 sends back):");
        switch (r.Cell)
        {
            case CellKind.Gru:
                w.WriteLine("//   ∂nₜ = ∂hₜ ⊙ (1 − zₜ) ⊙ (1 − nₜ²),  ∂zₜ = ∂hₜ ⊙ (hₜ₋₁ − nₜ) ⊙ zₜ(1 − zₜ),  ∂rₜ = ∂nₜ ⊙ (W_hn·hₜ₋₁ + b_hn) ⊙ rₜ(1 − rₜ)");
                w.WriteLine("//   input side [∂r; ∂z; ∂n], hidden side [∂r; ∂z; rₜ ⊙ ∂n];  ∂hₜ₋₁ = ∂hₜ ⊙ zₜ + W_hhᵀ·(hidden side)");
                break;
            case CellKind.Lstm:
                w.WriteLine("//   ∂cₜ = ∂cₜ₊₁ ⊙ fₜ₊₁ + ∂hₜ ⊙ oₜ ⊙ (1 − tanh²cₜ),  ∂oₜ = ∂hₜ ⊙ tanh cₜ,  ∂iₜ = ∂cₜ ⊙ gₜ,  ∂fₜ = ∂cₜ ⊙ cₜ₋₁,  ∂gₜ = ∂cₜ ⊙ iₜ");
                w.WriteLine("//   δₜ = [∂i ⊙ i(1 − i); ∂f ⊙ f(1 − f); ∂g ⊙ (1 − g²); ∂o ⊙ o(1 − o)];  ∂hₜ₋₁ = W_hhᵀ·δₜ");
                break;
            default:
                w.WriteLine($"//   δₜ = ∂L/∂hₜ ⊙ g′(zₜ) ({(r.Cell == CellKind.ElmanReLU ? "1 where hₜ > 0" : "1 − hₜ²")}),  ∂L/∂hₜ₋₁ = W_hhᵀ·δₜ");
                break;
        }
        w.WriteLine($"//   ∂L/∂W_ih{s} += δₜ·xₜᵀ,  ∂L/∂W_hh{s} += δₜ·hₜ₋₁ᵀ,  ∂L/∂b_ih{s} += δₜ,  ∂L/∂b_hh{s} += δₜ" +
                      (op.Input.HasGradient ? $",  ∂L/∂xₜ = (W_ih{s})ᵀ·δₜ" : ""));
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        if (c.Unrolled) { UnrolledElmanBackward(c, op); return; }
        var r = op.As<RecurrentSpec>();
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        BackwardComments(c.W, op);
        string dx = op.Input.HasGradient ? c.Gradient(op.Input) : $"{Span}.Empty";
        c.W.WriteLine($"global::NetGen.RecurrentKernels.Backward({Cell(r)}, {wih.Slice("parameters")}, {whh.Slice("parameters")}, {c.Span(op.Input)},");
        c.W.WriteLine($"    {c.Gradient(op.Output)}, {c.Cache(op)}, {wih.Slice("gradients")}, {whh.Slice("gradients")}, {bih.Slice("gradients")}, {bhh.Slice("gradients")},");
        c.W.WriteLine($"    {dx}, {Sizes(op)});");
    }

    // ── Unrolled Elman: a region per time step, every unit's state a local (h3_1 is unit 1 of hₜ at t = 3) ──

    /// <summary>g(z) as C#: tanh, or the rectifier.</summary>
    private static string Activate(CellKind cell, string z) => cell == CellKind.ElmanReLU ? $"global::System.MathF.Max(0f, {z})" : $"global::System.MathF.Tanh({z})";

    private static void UnrolledElmanForward(SpanCode c, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        int steps = op.Input.Shape.Steps, f = op.Input.Shape.Width, h = r.Units, l = op.Layer;
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        string s = Sup(l), x = c.Span(op.Input), output = c.Span(op.Output), cache = c.Cache(op), g = r.Cell == CellKind.ElmanReLU ? "max(0, ·)" : "tanh";
        c.W.WriteLine($"// {wih.Math} = parameters[{wih.At}..{wih.At + wih.Count}) as {h}×{f}, {whh.Math} = parameters[{whh.At}..{whh.At + whh.Count}) as {h}×{h} (row-major, PyTorch's layout), {bih.Math}, {bhh.Math}");
        c.W.WriteLine($"{ReadOnlySpanType} Wih = {wih.Slice("parameters")}, Whh = {whh.Slice("parameters")}, bih = {bih.Slice("parameters")}, bhh = {bhh.Slice("parameters")};");
        c.W.WriteLine($"// h{s}ₜ = {g}(W_ih{s}·xₜ + b_ih{s} + W_hh{s}·h{s}ₜ₋₁ + b_hh{s}) for t = 1…{steps}, h{s}₀ = 0; xₜ = {x}[{f}·(t − 1) …], and ht_i is unit i of h{s}ₜ");
        c.W.WriteLine("// The two biases enter every step as one: bᵢ = b_ihᵢ + b_hhᵢ");
        c.W.WriteLine("float " + Text.Wrap(Text.Range(h, i => $"b{i} = bih[{i}] + bhh[{i}]"), ", ", 6, "      ") + ";");
        for (int t = 1; t <= steps; t++)
        {
            c.W.WriteLine($"#region t = {t}" + (t == 1 ? $" (h{s}₀ = 0: no recurrent term)" : ""));
            for (int i = 0; i < h; i++)
            {
                var terms = new List<string> { $"b{i}" };
                for (int j = 0; j < f; j++) terms.Add($"Wih[{i * f + j}] * {x}[{(t - 1) * f + j}]");
                if (t > 1) for (int j = 0; j < h; j++) terms.Add($"Whh[{i * h + j}] * h{t - 1}_{j}");
                c.W.WriteLine($"float h{t}_{i} = {Activate(r.Cell, Text.Wrap(terms.ToArray(), " + ", Text.TermsPerLine, "    "))};");
            }
            c.W.WriteLine("#endregion");
        }
        c.W.WriteLine($"// Every state into the cache for the backward pass; {output} gets " + (r.ReturnSequences ? "every state." : $"the last state h{s}{Literals.Subscript(steps)}."));
        for (int t = 1; t <= steps; t++)
            c.W.WriteLine(Text.Wrap(Text.Range(h, i => $"{cache}[{(t - 1) * h + i}] = h{t}_{i};"), " ", 8, ""));
        if (r.ReturnSequences)
            c.W.WriteLine($"{cache}.Slice(0, {steps * h}).CopyTo({output});");
        else
            c.W.WriteLine(Text.Wrap(Text.Range(h, i => $"{output}[{i}] = h{steps}_{i};"), " ", 8, ""));
    }

    private static void UnrolledElmanBackward(SpanCode c, OpPlan op)
    {
        var r = op.As<RecurrentSpec>();
        int steps = op.Input.Shape.Steps, f = op.Input.Shape.Width, h = r.Units, l = op.Layer;
        var (wih, whh, bih, bhh) = (op.Block(Roles.Weight), op.Block(Roles.RecurrentWeight), op.Block(Roles.Bias), op.Block(Roles.RecurrentBias));
        string s = Sup(l), x = c.Span(op.Input), delta = c.Gradient(op.Output), cache = c.Cache(op);
        bool relu = r.Cell == CellKind.ElmanReLU, dx = op.Input.HasGradient;
        c.W.WriteLine($"{ReadOnlySpanType} {(dx ? "Wih = " + wih.Slice("parameters") + ", " : "")}Whh = {whh.Slice("parameters")};");
        c.W.WriteLine($"{Span} gWih = {wih.Slice("gradients")}, gWhh = {whh.Slice("gradients")}, gbih = {bih.Slice("gradients")}, gbhh = {bhh.Slice("gradients")};");
        c.W.WriteLine("// The states of the forward pass: ht_i is unit i of h" + s + "ₜ");
        for (int t = 1; t <= steps; t++)
            c.W.WriteLine("float " + Text.Wrap(Text.Range(h, i => $"h{t}_{i} = {cache}[{(t - 1) * h + i}]"), ", ", 6, "      ") + ";");
        string derivative = relu ? "g′(z) = 1 where hₜ > 0, else 0" : "g′(z) = 1 − hₜ²";
        c.W.WriteLine($"// Backpropagation through time, t = {steps}…1: ∂L/∂hₜ = {(r.ReturnSequences ? "∂L/∂yₜ" : "(∂L/∂y at the last step)")} + W_hh{s}ᵀ·δₜ₊₁, δₜ = ∂L/∂hₜ ⊙ g′(zₜ), {derivative};");
        c.W.WriteLine($"// dt_i is unit i of δₜ");
        for (int t = steps; t >= 1; t--)
        {
            c.W.WriteLine($"#region t = {t}");
            for (int i = 0; i < h; i++)
            {
                var terms = new List<string>();
                if (r.ReturnSequences) terms.Add($"{delta}[{(t - 1) * h + i}]");
                else if (t == steps) terms.Add($"{delta}[{i}]");
                if (t < steps) for (int k = 0; k < h; k++) terms.Add($"Whh[{k * h + i}] * d{t + 1}_{k}");
                string dh = terms.Count == 0 ? "0f" : Text.Wrap(terms.ToArray(), " + ", Text.TermsPerLine, "    ");
                string value = terms.Count == 0 ? "0f"
                    : relu ? $"h{t}_{i} > 0f ? {dh} : 0f"
                    : $"{(terms.Count == 1 ? dh : $"({dh})")} * (1f - h{t}_{i} * h{t}_{i})";
                c.W.WriteLine($"float d{t}_{i} = {value};");
            }
            c.W.WriteLine("#endregion");
        }
        c.W.WriteLine($"// ∂L/∂b_ih{s}ᵢ and ∂L/∂b_hh{s}ᵢ += Σₜ δₜᵢ");
        for (int i = 0; i < h; i++)
        {
            string sum = Text.Wrap(Text.Range(steps, k => $"d{k + 1}_{i}"), " + ", Text.TermsPerLine * 2, "    ");
            c.W.WriteLine($"float sd{i} = {sum}; gbih[{i}] += sd{i}; gbhh[{i}] += sd{i};");
        }
        c.W.WriteLine($"// ∂L/∂W_ih{s}ᵢⱼ += Σₜ δₜᵢ·xₜⱼ");
        for (int i = 0; i < h; i++)
            for (int j = 0; j < f; j++)
                c.W.WriteLine($"gWih[{i * f + j}] += " + Text.Wrap(Text.Range(steps, k => $"d{k + 1}_{i} * {x}[{k * f + j}]"), " + ", Text.TermsPerLine, "    ") + ";");
        if (steps > 1)
        {
            c.W.WriteLine($"// ∂L/∂W_hh{s}ᵢⱼ += Σₜ₌₂ δₜᵢ·hₜ₋₁ⱼ (h₀ = 0 adds nothing)");
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                    c.W.WriteLine($"gWhh[{i * h + j}] += " + Text.Wrap(Text.Range(steps - 1, k => $"d{k + 2}_{i} * h{k + 1}_{j}"), " + ", Text.TermsPerLine, "    ") + ";");
        }
        if (!dx) return;
        string dxSpan = c.Gradient(op.Input);
        c.W.WriteLine($"// ∂L/∂xₜ = (W_ih{s})ᵀ·δₜ:  ∂L/∂xₜⱼ = Σᵢ W_ihᵢⱼ·δₜᵢ");
        for (int t = 1; t <= steps; t++)
            for (int j = 0; j < f; j++)
                c.W.WriteLine($"{dxSpan}[{(t - 1) * f + j}] = " + Text.Wrap(Text.Range(h, i => $"Wih[{i * f + j}] * d{t}_{i}"), " + ", Text.TermsPerLine, "    ") + ";");
    }
}
