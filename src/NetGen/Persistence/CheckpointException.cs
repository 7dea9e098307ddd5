using System.IO;

namespace NetGen;

/// <summary>
/// A checkpoint could not be loaded; <see cref="Problem"/> says why (empty, not a checkpoint, newer version, truncated,
/// corrupted, another network's, or optimizer state that does not fit). Whatever the problem, the network and optimizer
/// passed to <see cref="Checkpoint.Load{TNetwork}(TNetwork, string, ICheckpointableOptimizer?)"/> are left unchanged.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointException(CheckpointProblem problem, string message)
        : base(message) => Problem = problem;

    /// <summary>Why the checkpoint was refused.</summary>
    public CheckpointProblem Problem { get; }
}
