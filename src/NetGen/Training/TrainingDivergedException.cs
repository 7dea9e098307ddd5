using System;

namespace NetGen;

/// <summary>
/// Thrown by <see cref="Trainer{TNetwork}"/> when the loss or the gradient of a mini-batch becomes NaN or infinite (the
/// network keeps the last parameters whose mini-batch loss was finite: the step that produced the bad values is undone), or
/// when an epoch's loss grows past <see cref="Trainer{TNetwork}.DivergenceFactor"/> times the run's first loss (the network
/// gets back the parameters of the last epoch below that line).
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(int epoch, int batch, float loss, string quantity)
        : base($"The {quantity} became {loss} in epoch {epoch}, batch {batch}. Training stopped and the network keeps its last good " +
               "parameters. Lower the learning rate, clip gradients (Trainer.ClipGradientNorm), or standardise the inputs; " +
               "if it happens in the first batch, look for NaN or infinite values in the data.")
    {
        Epoch = epoch;
        Batch = batch;
        Value = loss;
    }

    /// <summary>The epoch (from 1) in which it happened.</summary>
    public int Epoch { get; }

    /// <summary>The mini-batch (from 1, within the epoch) in which it happened.</summary>
    public int Batch { get; }

    /// <summary>The non-finite value seen.</summary>
    public float Value { get; }
}
