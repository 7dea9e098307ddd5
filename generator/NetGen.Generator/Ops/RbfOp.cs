using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Catalog;
using NetGen.Generator.Emission;
using NetGen.Generator.Helpers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Ops;

/// <summary>
/// A Gaussian radial-basis layer: aᵢ = φᵢ(x) = exp(−βᵢ·rᵢ) with rᵢ = ‖x − cᵢ‖², the squared distance from the input to
/// unit i's centre. C is [units, inputs] row-major (one centre per row, like a dense layer's W), β one precision per unit
/// (β = 1/(2σ²) for a Gaussian of width σ). Both are trained by backpropagation:
/// ∂L/∂βᵢ = −gᵢ·rᵢ and ∂L/∂cᵢ = 2βᵢ·gᵢ·(x − cᵢ), with gᵢ = ∂L/∂aᵢ·aᵢ; ∂L/∂x = −Σᵢ 2βᵢ·gᵢ·(x − cᵢ).
/// Small layers are unrolled (one statement per unit and input); larger ones call <c>NetGen.RbfKernels</c> with every size
/// a literal. The squared distances rᵢ are kept in the layer's cache for the backward pass.
/// </summary>
internal sealed class RbfOp : OpKind
{
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Span = "global::System.Span<float>";

    public override string RuntimeKind => "RadialBasis";

    public override bool GradientInPlace => false;

    public override string CacheContents => "each unit's squared distance ‖x − cᵢ‖²";

    public override string OutputRole(OpSpec spec, OpSpec? nextInLayer) => "a";

    public override bool TryInferShape(OpSpec spec, Shape input, out Shape output, out string problem)
    {
        var r = (RbfSpec)spec;
        output = Shape.Features(r.Units);
        if (input.IsSequence || input.IsImage)
        {
            problem = $"an [Rbf] layer measures the distance from a vector to its centres, but its input is {input}; " +
                      "put it on vector inputs (Inputs = n), or after a [Dense] that reads the sequence or image as one vector";
            output = input;
            return false;
        }
        if ((long)r.Units * input.Size > CodeShape.MaxParameterCount)
        {
            problem = $"its {r.Units} centres of {input.Size} inputs would need {(long)r.Units * input.Size} parameters, more than the {CodeShape.MaxParameterCount} one buffer holds; use fewer units";
            output = input;
            return false;
        }
        problem = "";
        return true;
    }

    public override IEnumerable<BlockPlan> Blocks(OpSpec spec, Shape input, Shape output, long offset, LayerFacts layer)
    {
        int l = spec.Layer, m = output.Width, n = (int)input.Size;
        var centres = new BlockPlan($"C{l}", $"C{Sup(l)}", Roles.Center, offset, m, n, true, InitRule.Uniform, 1f,
            InitReason: "uniform on ±1 (the span of standardized inputs), until RbfInitialization.FromData places the centres by k-means");
        yield return centres;
        float beta = 1f / n;
        yield return new BlockPlan($"beta{l}", $"β{Sup(l)}", Roles.Precision, offset + centres.Length, m, 1, true, InitRule.Constant, beta,
            InitReason: $"1/{n} (1/inputs), until RbfInitialization.FromData sets them from each cluster's spread");
    }

    /// <summary>One sample's squared distances: m floats.</summary>
    public override int CacheLength(OpSpec spec, Shape input, Shape output) => output.Width;

    /// <summary>rᵢ: n subtractions and multiply-adds per unit (2 FLOPs each, as a multiply-add counts 2).</summary>
    public override long ForwardFlops(OpPlan op) => Saturating.Multiply(2L * op.Input.Size, op.Output.Size);

    /// <summary>∂L/∂C (2 per centre coordinate), and ∂L/∂x unless the input needs none (2 per coordinate).</summary>
    public override long BackwardFlops(OpPlan op) =>
        Saturating.Add(ForwardFlops(op), op.Input.HasGradient ? Saturating.Multiply(2L * op.Input.Size, op.Output.Size) : 0);

    /// <summary>Forward differences and squares, ∂L/∂C, and ∂L/∂x: three per centre coordinate.</summary>
    public override long UnrolledMultiplyAdds(OpPlan op) => UnrolledMultiplyAdds(op.Input.Size, op.Output.Size);

    /// <summary>The formula, for the parser's NG0015 check under <c>Unrolling.Always</c>: 3 per centre coordinate.</summary>
    public static long UnrolledMultiplyAdds(long inputs, long units) => Saturating.Multiply(3L * inputs, units);

    /// <summary>Besides the output and its gradient: eᵢⱼ for every coordinate, and rᵢ, gᵢ, sᵢ per unit.</summary>
    public override long StraightLineLocals(OpPlan op) =>
        Saturating.Add(base.StraightLineLocals(op), Saturating.Add((long)op.Input.Size * op.Output.Size, 3L * op.Output.Size));

    public override bool? Unroll(OpSpec spec, Shape input, Shape output, UnrollingKind unrolling) =>
        Planner.IsUnrolled(unrolling, (int)input.Size, output.Width);

    /// <summary>Unrolled only inside a straight-line method; the span form (layered methods, batches) always calls the kernels.</summary>
    public override string CodeLabel(NetworkPlan plan, OpPlan op) => op.Unrolled && plan.StraightLine ? "unrolled" : "SIMD loops";

    public override string Title(OpPlan op) => $"Rbf {op.Input.Size} → {op.Output.Size} (Gaussian)";

    public override string? SummaryName(NetworkPlan plan, OpPlan op) => $"Rbf {op.Layer} (gaussian)";

    public override string HeaderLabel(NetworkPlan plan, OpPlan op) => $"Rbf({op.Output.Size}, gaussian)";

    public override string ArchitectureTerm(OpSpec spec) =>
        "rbf(" + ((RbfSpec)spec).Units.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static BlockPlan C(OpPlan op) => op.Block(Roles.Center);

    private static BlockPlan Beta(OpPlan op) => op.Block(Roles.Precision);

    // ── Straight-line ──

    public override void ScalarForward(ScalarCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size, l = op.Layer;
        var (centres, beta) = (C(op), Beta(op));
        string x = c.Math(op.Input), a = op.Output.Math;
        string index = n == 1 ? "i" : $"{n}·i + j";
        c.W.WriteLine($"// {centres.Math} = parameters[{centres.At}..{centres.At + centres.Count}) as {m}×{n} (C{l}[{index}] = {centres.Math}ᵢⱼ, centre i's coordinate j), {beta.Math} = parameters[{beta.At}..{beta.At + m})");
        c.W.WriteLine($"{ReadOnlySpan} C{l} = {centres.Slice("parameters")}, beta{l} = {beta.Slice("parameters")};");
        c.W.WriteLine($"// e{Sup(l)}ᵢⱼ = {x}ⱼ − {centres.Math}ᵢⱼ;  r{Sup(l)}ᵢ = ‖{x} − {centres.Math}ᵢ‖² = Σⱼ (e{Sup(l)}ᵢⱼ)²;  {a}ᵢ = φᵢ = exp(−{beta.Math}ᵢ·r{Sup(l)}ᵢ)");
        c.W.WriteLine($"// (RbfKernels.Gaussian(t) is e^(−t), or 0 where that would be a subnormal float)");
        for (int i = 0; i < m; i++)
        {
            c.W.WriteLine("float " + Text.Wrap(Text.Range(n, j => $"{E(l, i, j)} = {c.Value(op.Input, j)} - C{l}[{i * n + j}]"), ", ", 4, "      ") + ";");
            c.W.WriteLine($"float r{l}_{i} = " + Text.Wrap(Text.Range(n, j => $"{E(l, i, j)} * {E(l, i, j)}"), " + ", Text.TermsPerLine, "    ") + ";");
            c.W.WriteLine($"float {op.Output.Local(i)} = global::NetGen.RbfKernels.Gaussian(beta{l}[{i}] * r{l}_{i});");
        }
    }

    /// <summary>The local holding xⱼ − Cᵢⱼ.</summary>
    private static string E(int layer, int i, int j) => $"e{layer}_{i}_{j}";

    public override void ScalarBackward(ScalarCode c, OpPlan op)
    {
        int n = op.Input.Size, m = op.Output.Size, l = op.Layer;
        var (centres, beta) = (C(op), Beta(op));
        string x = c.Math(op.Input), a = op.Output.Math, s = Sup(l);
        c.W.WriteLine($"{Span} gC{l} = {centres.Slice("gradients")}, gbeta{l} = {beta.Slice("gradients")};");
        c.W.WriteLine($"// g{s}ᵢ = ∂L/∂{a}ᵢ·{a}ᵢ (as ∂{a}ᵢ/∂r{s}ᵢ = −{beta.Math}ᵢ·{a}ᵢ and ∂{a}ᵢ/∂{beta.Math}ᵢ = −r{s}ᵢ·{a}ᵢ);  ∂L/∂{beta.Math}ᵢ += −g{s}ᵢ·r{s}ᵢ;  s{s}ᵢ = 2·{beta.Math}ᵢ·g{s}ᵢ");
        for (int i = 0; i < m; i++)
            c.W.WriteLine($"float g{l}_{i} = {c.Gradient(op.Output, i)} * {op.Output.Local(i)}, s{l}_{i} = 2f * beta{l}[{i}] * g{l}_{i}; gbeta{l}[{i}] -= g{l}_{i} * r{l}_{i};");
        c.W.WriteLine($"// ∂L/∂{centres.Math}ᵢⱼ += s{s}ᵢ·e{s}ᵢⱼ  (∂r{s}ᵢ/∂{centres.Math}ᵢⱼ = −2·e{s}ᵢⱼ)");
        for (int i = 0; i < m; i++)
            c.W.WriteLine(Text.Wrap(Text.Range(n, j => $"gC{l}[{i * n + j}] += s{l}_{i} * {E(l, i, j)};"), " ", 4, ""));
        if (!c.WantsGradient(op.Input))
            return;
        var pending = c.Pending(op.Input);
        c.W.WriteLine(pending is null
            ? $"// ∂L/∂{x}ⱼ = −Σᵢ s{s}ᵢ·e{s}ᵢⱼ  (∂r{s}ᵢ/∂{x}ⱼ = 2·e{s}ᵢⱼ)"
            : $"// ∂L/∂{x}ⱼ = (the skip path's gradient) − Σᵢ s{s}ᵢ·e{s}ᵢⱼ");
        var names = c.NewGradient(op.Input);
        for (int j = 0; j < n; j++)
        {
            int column = j;
            string sum = Text.Wrap(Text.Range(m, i => $"s{l}_{i} * {E(l, i, column)}"), " + ", Text.TermsPerLine, "    ");
            c.W.WriteLine($"float {names[j]} = {(pending is null ? "" : pending[j] + " ")}-({sum});");
        }
    }

    // ── One sample over spans ──

    private static string Sizes(OpPlan op) => $"units: {op.Output.Size}, inputs: {op.Input.Size}";

    public override void SpanForward(SpanCode c, OpPlan op)
    {
        var (centres, beta) = (C(op), Beta(op));
        string x = c.Span(op.Input), a = c.Span(op.Output), s = Sup(op.Layer);
        c.W.WriteLine($"// r{s}ᵢ = ‖{op.Input.Math} − {centres.Math}ᵢ‖² (kept in the cache) and {op.Output.Math}ᵢ = exp(−{beta.Math}ᵢ·r{s}ᵢ), for the {op.Output.Size} centres {centres.Math} = parameters[{centres.At}..{centres.At + centres.Count}) as {op.Output.Size}×{op.Input.Size}");
        c.W.WriteLine($"global::NetGen.RbfKernels.Forward({centres.Slice("parameters")}, {beta.Slice("parameters")}, {x}, {a}, {c.Cache(op)}, {Sizes(op)});");
    }

    public override void SpanBackward(SpanCode c, OpPlan op)
    {
        var (centres, beta) = (C(op), Beta(op));
        string s = Sup(op.Layer), a = op.Output.Math, x = op.Input.Math;
        bool dx = op.Input.HasGradient, accumulate = dx && c.Accumulates(op.Input);
        c.W.WriteLine($"// gᵢ = ∂L/∂{a}ᵢ·{a}ᵢ:  ∂L/∂{beta.Math}ᵢ += −gᵢ·r{s}ᵢ,  ∂L/∂{centres.Math}ᵢ += 2{beta.Math}ᵢ·gᵢ·({x} − {centres.Math}ᵢ)" +
                      (dx ? $",  ∂L/∂{x} {(accumulate ? "+=" : "=")} −Σᵢ 2{beta.Math}ᵢ·gᵢ·({x} − {centres.Math}ᵢ)" : ""));
        c.W.WriteLine($"global::NetGen.RbfKernels.Backward({centres.Slice("parameters")}, {beta.Slice("parameters")}, {c.Span(op.Input)}, {c.Span(op.Output)}, {c.Cache(op)}, {c.Gradient(op.Output)},");
        c.W.WriteLine($"    {centres.Slice("gradients")}, {beta.Slice("gradients")}, {(dx ? c.Gradient(op.Input) : $"{Span}.Empty")}, {Sizes(op)}{(accumulate ? ", accumulateInputGradients: true" : "")});");
    }
}
