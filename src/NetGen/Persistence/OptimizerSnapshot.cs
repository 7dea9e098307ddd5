using System.Collections.Generic;

namespace NetGen;

/// <summary>An optimizer's state at one moment: enough to resume training with the same next steps.</summary>
/// <param name="Kind">The optimizer's kind, e.g. <c>Adam</c>; a snapshot restores only into the same kind.</param>
/// <param name="LearningRate">The learning rate at the moment of capture (schedules may have changed it).</param>
/// <param name="InitialLearningRate">The rate schedules start from (η₀), so a resumed run continues the same schedule.</param>
/// <param name="Step">The optimizer's step counter (bias corrections and decays depend on it).</param>
/// <param name="Buffers">The state buffers in the optimizer's own order (an empty array for one not yet allocated).</param>
public sealed record OptimizerSnapshot(string Kind, float LearningRate, float InitialLearningRate, long Step, IReadOnlyList<float[]> Buffers);

/// <summary>An optimizer whose state can be captured into a checkpoint and restored to resume training exactly.</summary>
public interface ICheckpointableOptimizer : IOptimizer
{
    /// <summary>The rate learning-rate schedules start from (η₀): the rate the optimizer was created with.</summary>
    float InitialLearningRate { get; }

    /// <summary>A copy of the current state.</summary>
    OptimizerSnapshot CaptureState();

    /// <summary>Replaces the state with <paramref name="snapshot"/>; hyper-parameters (β, momentum, …) stay those of this instance.</summary>
    /// <exception cref="CheckpointException">The snapshot is of another kind or has the wrong number of buffers
    /// (<see cref="CheckpointProblem.OptimizerMismatch"/>); the state is then unchanged.</exception>
    void RestoreState(OptimizerSnapshot snapshot);
}
