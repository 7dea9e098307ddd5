using System;
using System.Globalization;

namespace NetGen;

/// <summary>
/// Saves the network to a checkpoint file whenever a monitored quantity reaches its best value so far — Keras'
/// <c>ModelCheckpoint(save_best_only=True)</c>. Each save is atomic (the file is always a whole checkpoint, the latest
/// best) and carries the network's standardizer and class names. Improvement follows the rule of
/// <see cref="EarlyStopping"/>: better than the best by more than <see cref="MinDelta"/>.
/// </summary>
public sealed class SaveBest : Callback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="path">The checkpoint file to write; its folder must exist.</param>
    /// <param name="monitor">What to watch. Default the validation loss.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (absolute). Default 0.</param>
    /// <param name="encoding">The file's encoding; <see cref="CheckpointEncoding.Base64Text"/> makes a file the generator can compile in.</param>
    public SaveBest(string path, Monitored monitor = Monitored.ValidationLoss, float minDelta = 0f, CheckpointEncoding encoding = CheckpointEncoding.Binary)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Monitor = monitor;
        MinDelta = OptimizerState.NonNegative(minDelta, nameof(minDelta));
        Encoding = encoding;
    }

    /// <summary>The checkpoint file written.</summary>
    public string Path { get; }

    /// <summary>The quantity watched.</summary>
    public Monitored Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>The file's encoding.</summary>
    public CheckpointEncoding Encoding { get; }

    /// <summary>The epoch last saved in this run (0 before any).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The monitored value at <see cref="BestEpoch"/>.</summary>
    public float BestValue { get; private set; } = float.NaN;

    /// <summary>How many times the file was written in this run.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        context.RequireValidation(Monitor, nameof(SaveBest));
        BestEpoch = 0;
        BestValue = float.NaN;
        Saves = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        float value = TrainingContext.Read(Monitor, result, out bool higherIsBetter);
        if (!TrainingContext.Improves(value, BestValue, BestEpoch > 0, MinDelta, higherIsBetter))
            return;
        context.SaveCheckpoint(Path, Encoding);
        BestEpoch = result.Epoch;
        BestValue = value;
        Saves++;
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (BestEpoch > 0)
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"Best model: epoch {BestEpoch} ({TrainingContext.Label(Monitor)} {BestValue:0.0000}), saved to {Path}."));
    }
}
