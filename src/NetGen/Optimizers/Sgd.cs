using System;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Plain stochastic gradient descent: θ ← θ − η·∂L/∂θ, with η the learning rate. Allocation-free and vectorised.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private float _learningRate;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η, the step size; positive and finite. PyTorch's <c>SGD(lr=…)</c>.</param>
    public Sgd(float learningRate) => LearningRate = learningRate;

    /// <summary>η, the step size. Positive and finite.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0f) || !float.IsFinite(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive, finite number such as 0.01.");
            _learningRate = value;
        }
    }

    /// <inheritdoc />
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
            throw new ArgumentException(
                $"The gradient buffer has {gradients.Length} elements but the parameter buffer has {parameters.Length}; they must match.",
                nameof(gradients));
        // θ += (−η)·g
        DenseKernels.MultiplyAdd(
            ref MemoryMarshal.GetReference(parameters), ref MemoryMarshal.GetReference(gradients), -_learningRate, parameters.Length);
    }
}
