using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>How <see cref="SomTrainer{TMap}.Fit(ReadOnlySpan{float}, int, Action{SomEpoch})"/> starts.</summary>
public enum SomInitialization
{
    /// <summary>
    /// Each unit's weight vector is set to a training sample: the samples are put in an order shuffled from the trainer's
    /// seed, and unit u takes sample order[u mod n]; so no sample is used twice while there are at least as many samples
    /// as units. (MiniSom's <c>random_weights_init</c>, without repetition.)
    /// </summary>
    Samples = 0,

    /// <summary>The weights are left as they are: those set by the map's constructor (uniform in [−1, 1) from its seed), by you, or by an earlier <c>Fit</c>.</summary>
    Keep,
}

/// <summary>
/// The learning rate and the neighbourhood radius of each step of a run of T steps, both decaying geometrically from
/// their initial to their final value: for step t = 0, 1, …, T − 1,
/// η(t) = η₀·(η_end/η₀)^(t/(T−1)) and σ(t) = σ₀·(σ_end/σ₀)^(t/(T−1)),
/// so the first step uses η₀ and σ₀ and the last exactly η_end and σ_end (a run of one step uses η₀ and σ₀).
/// Computed in double precision, then rounded to float.
/// </summary>
/// <param name="InitialLearningRate">η₀.</param>
/// <param name="FinalLearningRate">η_end.</param>
/// <param name="InitialRadius">σ₀, in grid cells.</param>
/// <param name="FinalRadius">σ_end, in grid cells.</param>
public readonly record struct SomSchedule(float InitialLearningRate, float FinalLearningRate, float InitialRadius, float FinalRadius)
{
    /// <summary>η(t) of step <paramref name="step"/> (from 0) of a run of <paramref name="totalSteps"/>.</summary>
    public float LearningRate(long step, long totalSteps) => Geometric(InitialLearningRate, FinalLearningRate, step, totalSteps);

    /// <summary>σ(t) of step <paramref name="step"/> (from 0) of a run of <paramref name="totalSteps"/>.</summary>
    public float Radius(long step, long totalSteps) => Geometric(InitialRadius, FinalRadius, step, totalSteps);

    private static float Geometric(double start, double end, long step, long totalSteps) =>
        totalSteps <= 1 ? (float)start : (float)(start * Math.Pow(end / start, (double)step / (totalSteps - 1)));

    /// <summary>Throws unless every value is positive and finite, naming the one that is not.</summary>
    internal void Validate()
    {
        Check(InitialLearningRate, "InitialLearningRate", "0.5");
        Check(FinalLearningRate, "FinalLearningRate", "0.01");
        Check(InitialRadius, "InitialRadius", "half the larger side of the map");
        Check(FinalRadius, "FinalRadius", "1");
    }

    private static void Check(float value, string name, string example)
    {
        if (!(value > 0f) || float.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be a positive, finite number, such as {example} (the schedule decays geometrically from the initial to the final value).");
    }
}

/// <summary>One epoch of <see cref="SomTrainer{TMap}"/>.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="LearningRate">η of its last step.</param>
/// <param name="Radius">σ of its last step.</param>
/// <param name="QuantizationError">
/// The mean over the epoch's samples of ‖x − w_bmu‖, each measured just before that sample's update (a running figure,
/// like a network's training loss; <see cref="SomMeasures.QuantizationError{TMap}(TMap, ReadOnlySpan{float})"/> measures the map as it stands).
/// </param>
public readonly record struct SomEpoch(int Epoch, float LearningRate, float Radius, float QuantizationError);

/// <summary>What <see cref="SomTrainer{TMap}"/>'s <c>Fit</c> did: every epoch, and the number of steps (epochs × samples).</summary>
/// <param name="Epochs">The epochs in order.</param>
/// <param name="Steps">T, the number of update steps, over which the schedule decayed.</param>
public sealed record SomHistory(IReadOnlyList<SomEpoch> Epochs, long Steps);

/// <summary>
/// Trains a self-organizing map with Kohonen's online rule: for each sample x in turn, find its best-matching unit
/// bmu = argmin_u ‖x − w_u‖², then move every unit towards x, w_u ← w_u + η(t)·h(u)·(x − w_u), with the Gaussian
/// neighbourhood h(u) = exp(−‖r_u − r_bmu‖²/(2σ(t)²)) on the grid, while η and σ decay geometrically over the run
/// (<see cref="SomSchedule"/>). Each epoch visits every sample once, in an order shuffled from the seed.
/// </summary>
/// <remarks>
/// Defaults: η₀ = 0.5, η_end = 0.01, σ₀ = max(Width, Height)/2, σ_end = 1, weights initialised from the samples
/// (<see cref="SomInitialization.Samples"/>). One <c>SeededRandom(seed)</c> stream, restarted by every <c>Fit</c>, draws
/// the initial samples and then each epoch's order, so the same seed and data give the same weights bit for bit.
/// <see cref="Step"/> allocates nothing, and neither does an epoch of <c>Fit</c> (which allocates only the order of the
/// samples and its result, once). The data is not standardised for you: do it first (<see cref="Standardizer"/>), or
/// the features with the largest spread decide the map.
/// </remarks>
/// <typeparam name="TMap">A class generated from <see cref="SelfOrganizingMapAttribute"/>.</typeparam>
public sealed class SomTrainer<TMap> where TMap : class, ISelfOrganizingMap<TMap>
{
    private static readonly string MapName = typeof(TMap).Name;

    /// <summary>Prepares to train <paramref name="map"/> in place.</summary>
    /// <param name="map">The map.</param>
    /// <param name="seed">The seed of the initial samples and of every epoch's order.</param>
    public SomTrainer(TMap map, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(map);
        Map = map;
        Seed = seed;
        InitialRadius = Math.Max(TMap.Width, TMap.Height) / 2f;
    }

    /// <summary>The map being trained.</summary>
    public TMap Map { get; }

    /// <summary>The seed of the initial samples and of every epoch's order.</summary>
    public int Seed { get; }

    /// <summary>η₀, the learning rate of the first step (0.5).</summary>
    public float InitialLearningRate { get; init; } = 0.5f;

    /// <summary>η_end, the learning rate of the last step (0.01).</summary>
    public float FinalLearningRate { get; init; } = 0.01f;

    /// <summary>σ₀, the neighbourhood radius of the first step, in grid cells (half the larger side of the map).</summary>
    public float InitialRadius { get; init; }

    /// <summary>σ_end, the neighbourhood radius of the last step, in grid cells (1).</summary>
    public float FinalRadius { get; init; } = 1f;

    /// <summary>Where the weights start: from the samples (the default) or as they are.</summary>
    public SomInitialization Initialization { get; init; } = SomInitialization.Samples;

    /// <summary>The schedule these settings make.</summary>
    public SomSchedule Schedule => new(InitialLearningRate, FinalLearningRate, InitialRadius, FinalRadius);

    /// <summary>Trains on the input rows of <paramref name="data"/> (its targets are not used).</summary>
    /// <inheritdoc cref="Fit(ReadOnlySpan{float}, int, Action{SomEpoch})"/>
    public SomHistory Fit(Dataset data, int epochs, Action<SomEpoch>? onEpoch = null)
        => Fit(Rows(data), epochs, onEpoch);

    /// <summary>
    /// Runs <paramref name="epochs"/> epochs of Kohonen's rule over the samples, T = epochs × n steps in all, with η and σ
    /// following <see cref="Schedule"/> over those T steps.
    /// </summary>
    /// <param name="samples">n samples of Inputs values each, one after another.</param>
    /// <param name="epochs">The passes over the samples, at least 1.</param>
    /// <param name="onEpoch">Called after each epoch (on this thread), for progress.</param>
    /// <returns>Every epoch's last η and σ and its running quantisation error.</returns>
    /// <exception cref="ArgumentException">No samples, a length that is not a whole number of samples, or a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one epoch, or a rate or radius that is not positive and finite.</exception>
    public SomHistory Fit(ReadOnlySpan<float> samples, int epochs, Action<SomEpoch>? onEpoch = null)
    {
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "Train for at least one epoch (tens are usual: 50 epochs of Iris take a fraction of a second).");
        var schedule = Schedule;
        schedule.Validate();
        int n = CheckSamples(samples);
        long totalSteps = (long)epochs * n;
        var random = new SeededRandom(Seed);
        var order = new int[n];
        for (int s = 0; s < n; s++) order[s] = s;
        if (Initialization == SomInitialization.Samples)
            SetFromSamples(samples, order, ref random);
        else if (Initialization != SomInitialization.Keep)
            throw new ArgumentOutOfRangeException(nameof(Initialization), Initialization, "Use SomInitialization.Samples or SomInitialization.Keep.");

        var history = new SomEpoch[epochs];
        long t = 0;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            double error = 0;
            float learningRate = 0f, radius = 0f;
            foreach (int s in order)
            {
                learningRate = schedule.LearningRate(t, totalSteps);
                radius = schedule.Radius(t, totalSteps);
                var x = samples.Slice(s * TMap.Inputs, TMap.Inputs);
                int bmu = Map.BestMatchingUnit(x, out float squaredDistance);
                error += Math.Sqrt(squaredDistance);
                Map.Update(x, bmu, learningRate, radius);
                t++;
            }
            history[epoch - 1] = new SomEpoch(epoch, learningRate, radius, (float)(error / n));
            onEpoch?.Invoke(history[epoch - 1]);
        }
        return new SomHistory(history, totalSteps);
    }

    /// <summary>
    /// Sets each unit's weight vector to a sample, as <c>Fit</c> does first with <see cref="SomInitialization.Samples"/>:
    /// the samples' order is shuffled by <c>SeededRandom(Seed)</c> and unit u takes sample order[u mod n]. To train from
    /// there, fit with <c>Initialization = SomInitialization.Keep</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No samples, a length that is not a whole number of samples, or a value that is not finite.</exception>
    public void InitializeFromSamples(ReadOnlySpan<float> samples)
    {
        int n = CheckSamples(samples);
        var random = new SeededRandom(Seed);
        var order = new int[n];
        for (int s = 0; s < n; s++) order[s] = s;
        SetFromSamples(samples, order, ref random);
    }

    /// <summary>Sets each unit's weight vector to an input row of <paramref name="data"/>, as <see cref="InitializeFromSamples(ReadOnlySpan{float})"/> does.</summary>
    public void InitializeFromSamples(Dataset data) => InitializeFromSamples(Rows(data));

    private static ReadOnlySpan<float> Rows(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputWidth != TMap.Inputs)
            throw new ArgumentException($"The data's rows have {data.InputWidth} values but {MapName}.Inputs is {TMap.Inputs}; give rows of {TMap.Inputs} features, or declare [SelfOrganizingMap(…, Inputs = {data.InputWidth})].", nameof(data));
        return data.Inputs;
    }

    private void SetFromSamples(ReadOnlySpan<float> samples, int[] order, ref SeededRandom random)
    {
        random.Shuffle(order.AsSpan());
        for (int u = 0; u < TMap.Units; u++)
            Map.SetUnitWeights(u, samples.Slice(order[u % order.Length] * TMap.Inputs, TMap.Inputs));
    }

    /// <summary>
    /// One step of the rule with the given η and σ: finds <paramref name="x"/>'s best-matching unit, moves the map towards
    /// <paramref name="x"/> around it, and returns that unit. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The sample has the wrong length or a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">η is not finite, or σ is not positive and finite.</exception>
    public int Step(ReadOnlySpan<float> x, float learningRate, float radius)
    {
        int bmu = Map.BestMatchingUnit(x);
        Map.Update(x, bmu, learningRate, radius);
        return bmu;
    }

    /// <summary>The number of samples, after checking that there is at least one, that they are whole and finite.</summary>
    private static int CheckSamples(ReadOnlySpan<float> samples)
    {
        int inputs = TMap.Inputs;
        if (samples.IsEmpty)
            throw new ArgumentException($"There are no samples; give at least one row of {inputs} values.", nameof(samples));
        if (samples.Length % inputs != 0)
            throw new ArgumentException(
                $"The samples hold {samples.Length} values, which is not a whole number of rows of {MapName}.Inputs = {inputs}; give n × {inputs} values, row after row.", nameof(samples));
        for (int i = 0; i < samples.Length; i++)
            if (!float.IsFinite(samples[i]))
                throw new ArgumentException(
                    $"Value {i % inputs} of sample {i / inputs} is {samples[i]}; every value must be finite (drop or impute missing values first).", nameof(samples));
        return samples.Length / inputs;
    }
}
