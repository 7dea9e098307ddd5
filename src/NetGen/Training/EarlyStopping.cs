using System;

namespace NetGen;

/// <summary>
/// Stops training when a monitored quantity has stopped improving — Keras' <c>EarlyStopping</c>. An epoch improves when its
/// value beats the best so far by more than <see cref="MinDelta"/>; after <see cref="Patience"/> epochs in a row without
/// improvement training stops (Keras counts the same way, so patience 0 and 1 both stop at the first such epoch). With <see cref="RestoreBest"/> the network ends with the
/// parameters of its best epoch, whether training stopped early or ran out of epochs.
/// </summary>
public sealed class EarlyStopping : Callback
{
    private float[]? _best;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement to tolerate before stopping. Default 0.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (absolute). Default 0.</param>
    /// <param name="restoreBest">Ends training with the best epoch's parameters. Default false, as in Keras.</param>
    /// <param name="monitor">What to watch. Default the validation loss.</param>
    public EarlyStopping(int patience = 0, float minDelta = 0f, bool restoreBest = false, Monitored monitor = Monitored.ValidationLoss)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience cannot be negative.");
        Patience = patience;
        MinDelta = OptimizerState.NonNegative(minDelta, nameof(minDelta));
        RestoreBest = restoreBest;
        Monitor = monitor;
    }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Whether the best epoch's parameters are restored at the end.</summary>
    public bool RestoreBest { get; }

    /// <summary>The quantity watched.</summary>
    public Monitored Monitor { get; }

    /// <summary>The best epoch of the last run (0 before any).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The monitored value at <see cref="BestEpoch"/>.</summary>
    public float BestValue { get; private set; }

    /// <summary>The epoch at which the last run was stopped, or null if it was not.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        context.RequireValidation(Monitor, nameof(EarlyStopping));
        _wait = 0;
        BestEpoch = 0;
        BestValue = float.NaN;
        StoppedEpoch = null;
        if (RestoreBest)
            _best = new float[context.Network.Parameters.Length];
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        float value = TrainingContext.Read(Monitor, result, out bool higherIsBetter);
        if (TrainingContext.Improves(value, BestValue, BestEpoch > 0, MinDelta, higherIsBetter))
        {
            BestEpoch = result.Epoch;
            BestValue = value;
            _wait = 0;
            if (_best is not null)
                context.Network.Parameters.CopyTo(_best);
            return;
        }
        if (++_wait >= Patience)
        {
            StoppedEpoch = result.Epoch;
            context.StopTraining = true;
            context.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Early stopping at epoch {result.Epoch}: {TrainingContext.Label(Monitor)} has not improved for {_wait} epoch{(_wait == 1 ? "" : "s")} (best {BestValue:0.0000} at epoch {BestEpoch})."));
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (_best is not null && BestEpoch > 0)
        {
            _best.AsSpan().CopyTo(context.Network.Parameters);
            if (BestEpoch != context.Epoch)
                context.Note(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Restored the parameters of epoch {BestEpoch} ({TrainingContext.Label(Monitor)} {BestValue:0.0000})."));
        }
    }
}
