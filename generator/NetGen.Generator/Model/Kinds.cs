namespace NetGen.Generator.Model;

// These mirror NetGen.Activation, NetGen.Loss and NetGen.Unrolling in the runtime library, value for value: the
// generator reads attribute arguments as integers and cannot reference the runtime (it targets netstandard2.0 and runs
// inside the compiler). A test checks that names and values agree.

/// <summary>Mirror of <c>NetGen.Activation</c>.</summary>
internal enum ActivationKind
{
    Identity = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    LeakyReLU = 4,
    Softmax = 5,
    PReLU = 6,
    ELU = 7,
    Softplus = 8,
    SiLU = 9,
    Step = 10,
}

/// <summary>Mirror of <c>NetGen.Loss</c>.</summary>
internal enum LossKind
{
    MeanSquaredError = 1,
    MeanAbsoluteError = 2,
    BinaryCrossEntropy = 3,
    CrossEntropy = 4,
}

/// <summary>Mirror of <c>NetGen.RecurrentKernels.Cell</c>: the cell of a recurrent layer.</summary>
internal enum CellKind
{
    ElmanTanh = 0,
    ElmanReLU = 1,
    Gru = 2,
    Lstm = 3,
}

/// <summary>Mirror of <c>NetGen.Unrolling</c>.</summary>
internal enum UnrollingKind
{
    Auto = 0,
    Always = 1,
    Never = 2,
}
