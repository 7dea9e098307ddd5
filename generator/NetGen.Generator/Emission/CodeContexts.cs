using System.Collections.Generic;
using NetGen.Generator.Helpers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>What a forward pass is for: it decides which values must be computed.</summary>
internal enum Pass
{
    /// <summary>Inference: the output activation is needed.</summary>
    Predict,

    /// <summary>Loss only: a fused output layer needs only its logits.</summary>
    Loss,

    /// <summary>Loss and gradients: everything.</summary>
    Train,
}

/// <summary>
/// What every operation's code is written through: the writer, the plan, the pass and whether dropout is active.
/// The three forms below name values differently; an operation's emitter asks the context for names and never
/// builds one itself.
/// </summary>
internal abstract class CodeContext
{
    protected CodeContext(SourceWriter writer, NetworkPlan plan, Pass pass, bool training)
    {
        W = writer;
        Plan = plan;
        Pass = pass;
        Training = training;
    }

    public SourceWriter W { get; }
    public NetworkPlan Plan { get; }
    public Pass Pass { get; }

    /// <summary>Training mode: dropout draws masks from <c>random</c>.</summary>
    public bool Training { get; }

    /// <summary>True when <paramref name="op"/> is the output activation whose derivative a fused loss already applied.</summary>
    public bool LossAppliedDerivative(OpPlan op) => Plan.LossGivesDelta && op == Plan.OutputOp;
}

/// <summary>
/// Straight-line form: every element of every value is a local (<c>z1_3</c> is z¹₃), every element of a gradient too
/// (<c>da1_3</c>, <c>delta1_3</c>). Gradients are bound as the backward pass defines them; a value's gradient with
/// several sources (a residual's skip path) collects the earlier ones as terms the defining statement starts with.
/// </summary>
internal sealed class ScalarCode : CodeContext
{
    private readonly Dictionary<ValuePlan, ValuePlan> _aliases = new();
    private readonly Dictionary<ValuePlan, string[]> _gradients = new();
    private readonly Dictionary<ValuePlan, string[]> _pending = new();

    public ScalarCode(SourceWriter writer, NetworkPlan plan, Pass pass, bool training) : base(writer, plan, pass, training) { }

    /// <summary>Names shared between one operation and the loss, e.g. softmax's max and Σ for logsumexp.</summary>
    public Dictionary<string, string> Shared { get; } = new();

    /// <summary>The value <paramref name="value"/> stands for in this pass (an inactive dropout's output is its input).</summary>
    public ValuePlan Resolve(ValuePlan value) => _aliases.TryGetValue(value, out var to) ? Resolve(to) : value;

    public void Alias(ValuePlan value, ValuePlan to) => _aliases[value] = to;

    /// <summary>Element <paramref name="i"/> of a value.</summary>
    public string Value(ValuePlan value, int i) => Resolve(value).Local(i);

    /// <summary>The value's name in comments (x, a¹, d²).</summary>
    public string Math(ValuePlan value) => Resolve(value).Math;

    /// <summary>Whether ∂L/∂value is wanted (not for the input).</summary>
    public bool WantsGradient(ValuePlan value) => Resolve(value).HasGradient;

    /// <summary>Element <paramref name="i"/> of ∂L/∂value, as bound by the operation (or loss) that defined it.</summary>
    public string Gradient(ValuePlan value, int i) => _gradients[Resolve(value)][i];

    /// <summary>Binds ∂L/∂value to existing locals (an operation whose gradient passes through unchanged).</summary>
    public void BindGradient(ValuePlan value, string[] locals) => _gradients[Resolve(value)] = locals;

    /// <summary>Fresh locals for ∂L/∂value: <c>delta1_i</c> for a dense layer's z, else <c>d</c> + the value's local.</summary>
    public string[] NewGradient(ValuePlan value)
    {
        var v = Resolve(value);
        var names = new string[v.Size];
        for (int i = 0; i < names.Length; i++)
            names[i] = v.Role == "z" ? $"delta{v.Layer}_{i}" : "d" + v.Local(i);
        _gradients[v] = names;
        return names;
    }

    /// <summary>Records terms that ∂L/∂value must add when it is defined (a residual's skip path).</summary>
    public void AddPending(ValuePlan value, string[] terms) => _pending[Resolve(value)] = terms;

    /// <summary>The terms recorded for ∂L/∂value, or null.</summary>
    public string[]? Pending(ValuePlan value) => _pending.TryGetValue(Resolve(value), out var terms) ? terms : null;
}

/// <summary>
/// Span form, for one sample: each value is a span (<c>z[i]</c>), each gradient a span of its slot, updated in place
/// where the operation allows it. Used inside the layered shape's layer methods and inside the batch kernel's
/// per-sample loops, with different names for the same values.
/// </summary>
internal sealed class SpanCode : CodeContext
{
    private readonly System.Func<ValuePlan, string> _span;
    private readonly System.Func<ValuePlan, string> _gradient;
    private readonly HashSet<int> _accumulate = new();

    private readonly System.Func<OpPlan, string> _mask;

    public SpanCode(SourceWriter writer, NetworkPlan plan, Pass pass, bool training, bool unrolled,
        System.Func<ValuePlan, string> span, System.Func<ValuePlan, string> gradient, System.Func<OpPlan, string> mask)
        : base(writer, plan, pass, training)
    {
        Unrolled = unrolled;
        _span = span;
        _gradient = gradient;
        _mask = mask;
    }

    /// <summary>The span holding a dropout operation's mask.</summary>
    public string Mask(OpPlan dropout) => _mask(dropout);

    /// <summary>The span holding an operation's cache (a recurrent layer's states): <c>cache</c> inside a layer method, <c>cache2</c> in a kernel.</summary>
    public string Cache(OpPlan op) => CacheName(op);

    /// <summary>How the caches are named in this context.</summary>
    public System.Func<OpPlan, string> CacheName { get; init; } = op => "cache" + op.Layer;

    /// <summary>True: one statement per element; false: a fixed-trip-count loop.</summary>
    public bool Unrolled { get; }

    /// <summary>The span holding <paramref name="value"/>.</summary>
    public string Span(ValuePlan value) => _span(value);

    /// <summary>The span holding ∂L/∂value (its gradient slot).</summary>
    public string Gradient(ValuePlan value) => _gradient(value);

    /// <summary>Marks that ∂L/∂value already holds a contribution (a residual's skip path), so the next one adds.</summary>
    public void Accumulate(ValuePlan value) => _accumulate.Add(value.GradientOffset);

    /// <summary>Whether ∂L/∂value already holds a contribution.</summary>
    public bool Accumulates(ValuePlan value) => _accumulate.Contains(value.GradientOffset);

    /// <summary>
    /// Writes <paramref name="statement"/> (a format over the element index) for each of <paramref name="count"/>
    /// elements: one line per element when unrolled, else one loop.
    /// </summary>
    public void ForEach(int count, System.Func<string, string> statement)
    {
        if (Unrolled)
            for (int i = 0; i < count; i++)
                W.WriteLine(statement(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        else
            W.WriteLine($"for (int i = 0; i < {count}; i++) {statement("i")}");
    }
}

/// <summary>
/// Whole-batch form: a value of every sample at once, as a span starting at sample 0's value and the stride between
/// samples (each sample has one block of the batch buffer, laid out by <c>NetGenScratch</c>).
/// </summary>
internal sealed class BatchCode : CodeContext
{
    public BatchCode(SourceWriter writer, NetworkPlan plan) : base(writer, plan, Pass.Train, training: true) { }

    /// <summary><c>inputs, InputSize</c> for the input; else the value's column of the batch buffer and the stride.</summary>
    public string Strided(ValuePlan value) =>
        value.IsInput ? "inputs, InputSize" : $"batch.Slice({Layout.Value(value)}), {Layout.Stride}";

    /// <summary>The gradient slot's column of the batch buffer and the stride, or an empty span for the input.</summary>
    public string GradientStrided(ValuePlan value) =>
        value.HasGradient ? $"batch.Slice({Layout.Gradient(value)}), {Layout.Stride}" : "global::System.Span<float>.Empty, 0";
}
