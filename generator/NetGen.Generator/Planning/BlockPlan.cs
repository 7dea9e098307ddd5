namespace NetGen.Generator.Planning;

/// <summary>How a parameter block gets its initial values.</summary>
internal enum InitRule
{
    /// <summary>Uniform on ±√(6/((1 + α²)·fan-in)) (He, for the ReLU family and its smooth cousins).</summary>
    HeUniform,

    /// <summary>Uniform on ±√(6/(fan-in + fan-out)) (Glorot, for sigmoid, tanh, identity and softmax).</summary>
    GlorotUniform,

    /// <summary>Every value <see cref="BlockPlan.InitValue"/> (0 for biases, 1 for γ, 0.25 for PReLU slopes…).</summary>
    Constant,

    /// <summary>Uniform on ±1/√H with H = <see cref="BlockPlan.FanIn"/> the hidden units (PyTorch's recurrent layers, biases included).</summary>
    RecurrentUniform,

    /// <summary>Uniform on ±<see cref="BlockPlan.InitValue"/> (a radial-basis layer's centres before they are set from data).</summary>
    Uniform,
}

/// <summary>The runtime's <c>NetGen.ParameterRole</c> names, which the generated layout refers to.</summary>
internal static class Roles
{
    public const string Weight = "Weight", Bias = "Bias", Slope = "Slope", Scale = "Scale", Shift = "Shift",
        RunningMean = "RunningMean", RunningVariance = "RunningVariance", RecurrentWeight = "RecurrentWeight", RecurrentBias = "RecurrentBias",
        Center = "Center", Precision = "Precision";
}

/// <summary>
/// One contiguous block of the flat parameter buffer, as the planner laid it out: the <b>single source</b> of the
/// parameter count, the layout table, <c>ParameterName</c>, <c>ParameterLayout</c>, initialisation, compiled-in weights
/// and the ONNX initializers. Nothing else counts or places parameters.
/// </summary>
/// <param name="Name">The block's name in the layout: <c>W1</c>, <c>b1</c>, <c>gamma2</c>, <c>alpha1</c>.</param>
/// <param name="Math">The name in comments: <c>W¹</c>, <c>γ²</c>.</param>
/// <param name="Role">One of <see cref="Roles"/>.</param>
/// <param name="Offset">Index of the first value in the flat buffer.</param>
/// <param name="Rows">Rows: a weight matrix's units, a vector's length.</param>
/// <param name="Columns">Columns: a weight matrix's inputs; 1 for a vector.</param>
/// <param name="Trainable">False for state the network keeps but does not learn by gradient (running statistics).</param>
/// <param name="Init">How the block is initialised.</param>
/// <param name="InitValue">The value of a <see cref="InitRule.Constant"/> block.</param>
/// <param name="FanIn">Fan-in of a random block.</param>
/// <param name="FanOut">Fan-out of a Glorot block.</param>
/// <param name="InitSlope">The negative slope He initialisation accounts for.</param>
/// <param name="InitReason">The initialisation in words, for the generated comment.</param>
/// <param name="ThenRows">Rows set to a constant after <paramref name="Init"/> has filled the block (an LSTM's forget-gate
/// bias), so the random draws of every other value stay those of the plain rule.</param>
internal sealed record BlockPlan(string Name, string Math, string Role, long Offset, int Rows, int Columns, bool Trainable,
    InitRule Init, float InitValue = 0f, int FanIn = 0, int FanOut = 0, float InitSlope = 0f, string InitReason = "",
    RowOverride? ThenRows = null)
{
    public long Length => (long)Rows * Columns;

    /// <summary>The offset as the emitter writes it (the parser refuses networks whose buffer would not fit an int).</summary>
    public int At => (int)Offset;

    public int Count => (int)Length;

    /// <summary>True for a matrix named by [row, column]; vectors are named by one index.</summary>
    public bool IsMatrix => Role is Roles.Weight or Roles.RecurrentWeight or Roles.Center;

    /// <summary>The C# slice of this block in <paramref name="buffer"/>: <c>parameters.Slice(8, 4)</c>.</summary>
    public string Slice(string buffer) => $"{buffer}.Slice({At}, {Count})";
}

/// <summary>Rows [<paramref name="Start"/>, <paramref name="Start"/> + <paramref name="Count"/>) of a vector block set to
/// <paramref name="Value"/> after its initialisation; <paramref name="Reason"/> says why, for the generated comment.</summary>
internal sealed record RowOverride(int Start, int Count, float Value, string Reason);
