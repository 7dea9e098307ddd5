using System;

namespace NetGen;

/// <summary>
/// A mini-batch optimizer: updates a flat parameter buffer from the mean gradient of one mini-batch. Optimizers never know
/// the network's shape; they see only the two spans. State (momentum, running averages) is allocated on the first step
/// and sized to that buffer, so one optimizer instance serves one network.
/// </summary>
public interface IOptimizer
{
    /// <summary>The step size η. Learning-rate schedules change it between epochs.</summary>
    float LearningRate { get; set; }

    /// <summary>Applies one update step: θ ← update(θ, ∂L/∂θ).</summary>
    /// <param name="parameters">The parameters θ, updated in place.</param>
    /// <param name="gradients">The gradient of the loss (the mean over the mini-batch), same length as θ.</param>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    /// <summary>Forgets all state (step count, momentum, running averages), as if the optimizer were new.</summary>
    void Reset();
}

/// <summary>
/// The loss and its gradient at a point, as a full-batch optimizer asks for them: returns L(θ) and <b>overwrites</b>
/// <paramref name="gradient"/> with ∂L/∂θ.
/// </summary>
/// <param name="parameters">The point θ to evaluate.</param>
/// <param name="gradient">Receives ∂L/∂θ; same length as <paramref name="parameters"/>.</param>
/// <returns>The loss L(θ).</returns>
public delegate float Objective(ReadOnlySpan<float> parameters, Span<float> gradient);

/// <summary>
/// A full-batch optimizer (<see cref="Lbfgs"/>, <see cref="Newton"/>): each step may evaluate the loss and gradient over
/// the whole training set several times (line search, Hessian by finite differences), so it is given the objective itself
/// rather than one gradient. Like PyTorch's <c>optimizer.step(closure)</c>.
/// </summary>
public interface IFullBatchOptimizer
{
    /// <summary>The step-length scale η (1 for a full Newton or quasi-Newton step).</summary>
    float LearningRate { get; set; }

    /// <summary>Takes one iteration from <paramref name="parameters"/>, which it updates in place.</summary>
    /// <param name="parameters">The parameters θ, updated in place. Unchanged when no decrease could be found.</param>
    /// <param name="objective">Evaluates the loss and gradient at a point.</param>
    /// <returns>The loss at the parameters the step leaves.</returns>
    float Step(Span<float> parameters, Objective objective);

    /// <summary>Forgets all state (curvature history, damping), as if the optimizer were new.</summary>
    void Reset();
}
