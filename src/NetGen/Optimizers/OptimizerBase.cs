using System;

namespace NetGen;

/// <summary>
/// What the built-in mini-batch optimizers share: the learning rate and the rate schedules start from, a step counter,
/// state buffers allocated on the first step, and capture/restore of all of it for checkpoints.
/// </summary>
public abstract class OptimizerBase : ICheckpointableOptimizer
{
    private readonly string _example;
    private float _learningRate;
    private float[]?[] _buffers;

    private protected OptimizerBase(float learningRate, string example, int bufferCount)
    {
        _example = example;
        _buffers = new float[]?[bufferCount];
        LearningRate = learningRate;
    }

    /// <summary>The step size η. Set before the first step, it also sets <see cref="InitialLearningRate"/>.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            _learningRate = OptimizerState.Positive(value, nameof(LearningRate), _example);
            if (StepCount == 0) InitialLearningRate = _learningRate;
        }
    }

    /// <inheritdoc />
    public float InitialLearningRate { get; private set; }

    /// <summary>The number of steps taken since creation or <see cref="Reset"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>The kind recorded in checkpoints: the class name.</summary>
    private protected abstract string Kind { get; }

    /// <summary>The state buffers, in a fixed order; an entry is null until the step that first needs it.</summary>
    private protected float[]?[] Buffers => _buffers;

    /// <summary>Buffer <paramref name="index"/>, allocated zeroed for <paramref name="length"/> parameters on first use.</summary>
    private protected float[] Buffer(int index, int length) => OptimizerState.Ensure(ref _buffers[index], length, Kind);

    /// <inheritdoc />
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        OptimizerState.CheckLengths(parameters, gradients);
        Update(parameters, gradients, StepCount + 1);
        StepCount++;
    }

    /// <summary>One update; <paramref name="step"/> counts from 1.</summary>
    private protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step);

    /// <summary>Forgets the state and step count and returns the learning rate to <see cref="InitialLearningRate"/>, as if new.</summary>
    public void Reset()
    {
        StepCount = 0;
        _buffers = new float[]?[_buffers.Length];
        _learningRate = InitialLearningRate;
    }

    /// <inheritdoc />
    public OptimizerSnapshot CaptureState() => OptimizerState.Capture(Kind, _learningRate, InitialLearningRate, StepCount, _buffers);

    /// <inheritdoc />
    public void RestoreState(OptimizerSnapshot snapshot)
    {
        var buffers = OptimizerState.Restore(snapshot, Kind, _buffers.Length);
        _buffers = buffers;
        StepCount = snapshot.Step;
        _learningRate = snapshot.LearningRate;
        InitialLearningRate = snapshot.InitialLearningRate;
    }
}
