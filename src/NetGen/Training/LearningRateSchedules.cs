using System;

namespace NetGen;

/// <summary>
/// A learning rate that is a function of the epoch: before each epoch e (from 1) it sets the optimizer's rate to
/// <see cref="LearningRateAt"/>(e, η₀), where η₀ is the optimizer's rate when <c>Fit</c> started.
/// </summary>
public abstract class LearningRateSchedule : Callback
{
    /// <summary>The learning rate for epoch <paramref name="epoch"/> (from 1), given the initial rate η₀.</summary>
    public abstract float LearningRateAt(int epoch, float initialLearningRate);

    /// <inheritdoc />
    public override void OnEpochBegin(TrainingContext context, int epoch) =>
        context.LearningRate = LearningRateAt(epoch, context.InitialLearningRate);

    private protected static void CheckEpoch(int epoch)
    {
        if (epoch < 1) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs are numbered from 1.");
    }
}

/// <summary>Step decay (PyTorch's <c>StepLR</c>): ηₑ = η₀ · γ^⌊(e − 1) / s⌋ — the rate is multiplied by γ every s epochs.</summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">s, the number of epochs between decays.</param>
    /// <param name="factor">γ in (0, 1]. Default 0.1.</param>
    public StepDecay(int stepSize, float factor = 0.1f)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be at least 1 epoch.");
        if (!(factor > 0f && factor <= 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1], such as 0.5.");
        StepSize = stepSize;
        Factor = factor;
    }

    /// <summary>s, the epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ, the decay factor.</summary>
    public float Factor { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int epoch, float initialLearningRate)
    {
        CheckEpoch(epoch);
        return (float)(initialLearningRate * Math.Pow(Factor, (epoch - 1) / StepSize));
    }
}

/// <summary>Exponential decay (PyTorch's <c>ExponentialLR</c>): ηₑ = η₀ · γ^(e − 1).</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="factor">γ in (0, 1], the per-epoch multiplier, such as 0.95.</param>
    public ExponentialDecay(float factor)
    {
        if (!(factor > 0f && factor <= 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1], such as 0.95.");
        Factor = factor;
    }

    /// <summary>γ, the per-epoch multiplier.</summary>
    public float Factor { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int epoch, float initialLearningRate)
    {
        CheckEpoch(epoch);
        return (float)(initialLearningRate * Math.Pow(Factor, epoch - 1));
    }
}

/// <summary>
/// Cosine annealing (Loshchilov &amp; Hutter's SGDR without restarts; PyTorch's <c>CosineAnnealingLR</c> over its first
/// half-period): ηₑ = η_min + (η₀ − η_min)·(1 + cos(π·(e − 1)/T))/2 for e − 1 ≤ T, and η_min after that.
/// </summary>
public sealed class CosineAnnealing : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="period">T, the number of epochs from η₀ down to η_min — usually the number of epochs.</param>
    /// <param name="minimumLearningRate">η_min ≥ 0. Default 0.</param>
    public CosineAnnealing(int period, float minimumLearningRate = 0f)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1 epoch.");
        Period = period;
        MinimumLearningRate = OptimizerState.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
    }

    /// <summary>T, the epochs of the descent.</summary>
    public int Period { get; }

    /// <summary>η_min, the final rate.</summary>
    public float MinimumLearningRate { get; }

    /// <inheritdoc />
    public override float LearningRateAt(int epoch, float initialLearningRate)
    {
        CheckEpoch(epoch);
        int t = Math.Min(epoch - 1, Period);
        double rate = MinimumLearningRate + (initialLearningRate - MinimumLearningRate) * (1 + Math.Cos(Math.PI * t / Period)) / 2;
        // The optimizers need a positive rate: η_min = 0 at the very end becomes the smallest positive float instead.
        return Math.Max((float)rate, float.Epsilon);
    }
}

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when a monitored quantity has not improved (by more than
/// <see cref="MinDelta"/>) for <see cref="Patience"/> epochs — Keras' <c>ReduceLROnPlateau</c>, with its defaults. After a
/// reduction, <see cref="Cooldown"/> epochs pass before counting starts again; the rate never goes below
/// <see cref="MinimumLearningRate"/>.
/// </summary>
public sealed class ReduceLearningRateOnPlateau : Callback
{
    private float _best;
    private int _wait, _cooldown;
    private bool _hasBest;

    /// <summary>Creates the callback.</summary>
    /// <param name="factor">The multiplier in (0, 1). Default 0.1.</param>
    /// <param name="patience">Epochs without improvement before a reduction. Default 10.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (absolute). Default 1e-4.</param>
    /// <param name="cooldown">Epochs to wait after a reduction. Default 0.</param>
    /// <param name="minimumLearningRate">The floor. Default 0 (the smallest positive float).</param>
    /// <param name="monitor">What to watch. Default the validation loss.</param>
    public ReduceLearningRateOnPlateau(float factor = 0.1f, int patience = 10, float minDelta = 1e-4f, int cooldown = 0, float minimumLearningRate = 0f, Monitored monitor = Monitored.ValidationLoss)
    {
        if (!(factor > 0f && factor < 1f)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1), such as 0.1.");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience cannot be negative.");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "The cooldown cannot be negative.");
        Factor = factor;
        Patience = patience;
        MinDelta = OptimizerState.NonNegative(minDelta, nameof(minDelta));
        Cooldown = cooldown;
        MinimumLearningRate = OptimizerState.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
        Monitor = monitor;
    }

    /// <summary>The multiplier applied on a plateau.</summary>
    public float Factor { get; }

    /// <summary>Epochs without improvement before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public float MinDelta { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the learning rate.</summary>
    public float MinimumLearningRate { get; }

    /// <summary>The quantity watched.</summary>
    public Monitored Monitor { get; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        context.RequireValidation(Monitor, nameof(ReduceLearningRateOnPlateau));
        _hasBest = false;
        _wait = _cooldown = 0;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochResult result)
    {
        float value = TrainingContext.Read(Monitor, result, out bool higherIsBetter);
        if (_cooldown > 0)
        {
            _cooldown--;
            _wait = 0;
        }
        bool improved = !_hasBest ? !float.IsNaN(value) : higherIsBetter ? value - MinDelta > _best : value + MinDelta < _best;
        if (improved)
        {
            _best = value;
            _hasBest = true;
            _wait = 0;
        }
        else if (_cooldown == 0 && ++_wait >= Patience)
        {
            float floor = Math.Max(MinimumLearningRate, float.Epsilon);
            float reduced = Math.Max(context.LearningRate * Factor, floor);
            if (reduced < context.LearningRate)
            {
                context.LearningRate = reduced;
                _cooldown = Cooldown;
                _wait = 0;
            }
        }
    }
}
