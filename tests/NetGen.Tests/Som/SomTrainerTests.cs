namespace NetGen.Tests.Som;

/// <summary>
/// The trainer: its schedule against the formula, Fit against the documented algorithm replayed here step by step,
/// reproducibility, the errors falling over training on Iris, zero allocation per step and per epoch, and its refusals.
/// </summary>
public class SomTrainerTests
{
    private static Dataset Iris()
    {
        var iris = CsvLoader.LoadClassification(Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv"), "species");
        return Standardizer.Fit(iris.Data).Transform(iris.Data);
    }

    private static float[] Rows(Dataset data)
    {
        var rows = new float[data.Count * data.InputWidth];
        for (int s = 0; s < data.Count; s++) data.Input(s).CopyTo(rows.AsSpan(s * data.InputWidth));
        return rows;
    }

    [Fact]
    public void The_schedule_decays_geometrically_from_the_first_to_the_last_step()
    {
        var schedule = new SomSchedule(InitialLearningRate: 0.5f, FinalLearningRate: 0.01f, InitialRadius: 5f, FinalRadius: 1f);
        const long T = 101;
        Assert.Equal(0.5f, schedule.LearningRate(0, T));
        Assert.Equal(5f, schedule.Radius(0, T));
        Assert.Equal(0.01f, schedule.LearningRate(T - 1, T));
        Assert.Equal(1f, schedule.Radius(T - 1, T));
        // Halfway (t/(T−1) = ½) a geometric decay is at the geometric mean of its ends; a quarter of the way, at a^¾·b^¼.
        Assert.Equal(Math.Sqrt(0.5 * 0.01), schedule.LearningRate(50, T), 1e-7);
        Assert.Equal(Math.Sqrt(5.0), schedule.Radius(50, T), 1e-6);
        Assert.Equal(Math.Pow(0.5, 0.75) * Math.Pow(0.01, 0.25), schedule.LearningRate(25, T), 1e-7);
        // Every step divides by the same factor: (η_end/η₀)^(1/(T−1)).
        double ratio = Math.Pow(0.01 / 0.5, 1.0 / 100);
        for (long t = 1; t < T; t++)
            Assert.Equal(ratio, (double)schedule.LearningRate(t, T) / schedule.LearningRate(t - 1, T), 1e-6);
        Assert.Equal(0.5f, schedule.LearningRate(0, 1));   // a run of one step uses the initial values
        Assert.Equal(5f, schedule.Radius(0, 1));
        // The trainer's defaults: η 0.5 → 0.01, σ max(W, H)/2 → 1.
        Assert.Equal(new SomSchedule(0.5f, 0.01f, 6.5f, 1f), new SomTrainer<Map7x13>(new Map7x13()).Schedule);
    }

    [Fact]
    public void Fit_is_the_documented_algorithm_step_for_step()
    {
        var data = Rows(Iris());
        const int seed = 3, epochs = 4;
        var trained = new IrisSom();
        var trainer = new SomTrainer<IrisSom>(trained, seed) { InitialLearningRate = 0.6f, FinalLearningRate = 0.02f, InitialRadius = 4f, FinalRadius = 0.5f };
        var history = trainer.Fit(data, epochs);

        // Replayed from the docs: SeededRandom(seed) shuffles 0…n−1 and unit u takes sample order[u mod n]; then each epoch
        // shuffles the order again and visits the samples in it, step t using η(t) = η₀(η_end/η₀)^(t/(T−1)) and the same for σ.
        var replay = new IrisSom();
        int n = data.Length / IrisSom.Inputs;
        long T = (long)epochs * n, t = 0;
        var random = new SeededRandom(seed);
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order.AsSpan());
        for (int u = 0; u < IrisSom.Units; u++) replay.SetUnitWeights(u, data.AsSpan(order[u % n] * 4, 4));
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order.AsSpan());
            double error = 0;
            foreach (int s in order)
            {
                var x = data.AsSpan(s * 4, 4);
                float eta = (float)(0.6f * Math.Pow((double)0.02f / 0.6f, (double)t / (T - 1)));
                float sigma = (float)(4.0 * Math.Pow(0.5 / 4.0, (double)t / (T - 1)));
                int bmu = replay.BestMatchingUnit(x, out float d2);
                error += Math.Sqrt(d2);
                replay.Update(x, bmu, eta, sigma);
                t++;
            }
            Assert.Equal(error / n, history.Epochs[epoch].QuantizationError, 1e-6);
            Assert.Equal(epoch + 1, history.Epochs[epoch].Epoch);
        }
        Assert.Equal(replay.Weights.ToArray(), trained.Weights.ToArray());
        Assert.Equal(T, history.Steps);
        Assert.Equal(0.02f, history.Epochs[^1].LearningRate);
        Assert.Equal(0.5f, history.Epochs[^1].Radius);
    }

    [Fact]
    public void The_same_seed_gives_the_same_map_bit_for_bit_and_another_seed_another()
    {
        var data = Iris();
        float[] Train(int seed, SomInitialization start)
        {
            var map = new IrisSom(seed: 9);
            new SomTrainer<IrisSom>(map, seed) { Initialization = start }.Fit(data, epochs: 5);
            return map.Weights.ToArray();
        }
        Assert.Equal(Train(1, SomInitialization.Samples), Train(1, SomInitialization.Samples));
        Assert.Equal(Train(1, SomInitialization.Keep), Train(1, SomInitialization.Keep));
        Assert.NotEqual(Train(1, SomInitialization.Samples), Train(2, SomInitialization.Samples));
        Assert.NotEqual(Train(1, SomInitialization.Samples), Train(1, SomInitialization.Keep));
        // Fit restarts the seed's stream: fitting the same map twice from the samples gives the same map again.
        var twice = new IrisSom();
        var trainer = new SomTrainer<IrisSom>(twice, 1);
        trainer.Fit(data, 5);
        trainer.Fit(data, 5);
        Assert.Equal(Train(1, SomInitialization.Samples), twice.Weights.ToArray());
    }

    [Fact]
    public void Initialization_from_samples_puts_distinct_samples_on_the_units()
    {
        var data = Rows(Iris());
        var map = new IrisSom();
        new SomTrainer<IrisSom>(map, seed: 5).InitializeFromSamples(data);
        var seen = new HashSet<string>();
        var w = new float[4];
        for (int u = 0; u < IrisSom.Units; u++)
        {
            map.GetUnitWeights(u, w);
            int found = Enumerable.Range(0, 150).Count(s => data.AsSpan(s * 4, 4).SequenceEqual(w));
            Assert.True(found >= 1, $"unit {u} is on no sample");
            seen.Add(string.Join(",", w));
        }
        Assert.True(seen.Count >= 99, $"{seen.Count} distinct vectors on 100 units (Iris has one duplicated row or two)");
        // With fewer samples than units, they are used in turn: unit u takes sample order[u mod n].
        var small = new Map3x5();
        new SomTrainer<Map3x5>(small, seed: 1).InitializeFromSamples([1f, 1f, 1f, 2f, 2f, 2f]);
        var v = new float[3];
        for (int u = 0; u < Map3x5.Units; u++)
        {
            small.GetUnitWeights(u, v);
            Assert.True(v[0] is 1f or 2f && v[1] == v[0] && v[2] == v[0]);
        }
        small.GetUnitWeights(0, v);
        float first = v[0];
        small.GetUnitWeights(2, v);
        Assert.Equal(first, v[0]);
        small.GetUnitWeights(1, v);
        Assert.NotEqual(first, v[0]);
    }

    [Fact]
    public void Errors_fall_over_training_on_iris()
    {
        var data = Iris();
        var map = new IrisSom(seed: 1);                                 // weights uniform in [−1, 1)
        float qe0 = SomMeasures.QuantizationError(map, data), te0 = SomMeasures.TopographicError(map, data);
        var trainer = new SomTrainer<IrisSom>(map, seed: 1) { Initialization = SomInitialization.Keep };
        var history = trainer.Fit(data, epochs: 100);
        float qe = SomMeasures.QuantizationError(map, data), te = SomMeasures.TopographicError(map, data);
        Assert.True(qe < 0.5f * qe0, $"quantisation error {qe0} → {qe}");
        Assert.True(te < 0.1f && te < te0 / 5, $"topographic error {te0} → {te}");
        // The running error falls from quarter to quarter of the run.
        double Quarter(int q) => history.Epochs.Skip(25 * q).Take(25).Average(e => e.QuantizationError);
        for (int q = 1; q < 4; q++)
            Assert.True(Quarter(q) < Quarter(q - 1), $"quarter {q + 1}: {Quarter(q)} after {Quarter(q - 1)}");
        Assert.Equal(qe, history.Epochs[^1].QuantizationError, 0.05);  // the last epoch's running error is near the final map's
        // From the default start (units on samples) the map is ordered by training too.
        var fromSamples = new IrisSom();
        var start = new SomTrainer<IrisSom>(fromSamples, seed: 1);
        start.InitializeFromSamples(data);
        float teSamples = SomMeasures.TopographicError(fromSamples, data);
        start.Fit(data, epochs: 100);
        Assert.True(SomMeasures.TopographicError(fromSamples, data) < teSamples / 5);
        // And the map separates the species: most units win flowers of one species only.
        int[,] counts = SomMeasures.ClassCounts(map, data);
        int agree = Enumerable.Range(0, IrisSom.Units).Sum(u => Math.Max(counts[u, 0], Math.Max(counts[u, 1], counts[u, 2])));
        Assert.True(agree >= 140, $"purity {agree}/150");
    }

    [Fact]
    public void A_step_and_an_epoch_allocate_nothing()
    {
        var data = Iris();
        var map = new IrisSom(seed: 1);
        var trainer = new SomTrainer<IrisSom>(map, seed: 1);
        var x = data.Input(0).ToArray();
        for (int i = 0; i < 300; i++) trainer.Step(x, 0.1f, 2f);  // past the tiered JIT's thresholds
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) trainer.Step(x, 0.1f, 2f);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // Between the ends of epochs 5 and 10 (after the JIT has settled) nothing is allocated.
        long atFive = 0, atTen = 0;
        trainer.Fit(data, epochs: 12, epoch =>
        {
            if (epoch.Epoch == 5) atFive = GC.GetAllocatedBytesForCurrentThread();
            if (epoch.Epoch == 10) atTen = GC.GetAllocatedBytesForCurrentThread();
        });
        Assert.Equal(0, atTen - atFive);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_message_that_names_the_fix()
    {
        var trainer = new SomTrainer<IrisSom>(new IrisSom());
        Assert.Contains("whole number of rows of IrisSom.Inputs = 4", Assert.Throws<ArgumentException>(() => trainer.Fit(new float[10], 1)).Message);
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => trainer.Fit(ReadOnlySpan<float>.Empty, 1)).Message);
        Assert.Contains("Value 2 of sample 1 is NaN", Assert.Throws<ArgumentException>(() => trainer.Fit([0, 0, 0, 0, 0, 0, float.NaN, 0], 1)).Message);
        Assert.Contains("at least one epoch", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(new float[8], 0)).Message);
        foreach (var bad in new[]
                 {
                     new SomTrainer<IrisSom>(new IrisSom()) { InitialLearningRate = 0f },
                     new SomTrainer<IrisSom>(new IrisSom()) { FinalLearningRate = -0.1f },
                     new SomTrainer<IrisSom>(new IrisSom()) { InitialRadius = float.PositiveInfinity },
                     new SomTrainer<IrisSom>(new IrisSom()) { FinalRadius = float.NaN },
                 })
            Assert.Contains("must be a positive, finite number", Assert.Throws<ArgumentOutOfRangeException>(() => bad.Fit(new float[8], 1)).Message);
        var wide = new Dataset(new float[10], new float[2], inputWidth: 5, targetWidth: 1);
        Assert.Contains("Inputs = 5", Assert.Throws<ArgumentException>(() => trainer.Fit(wide, 1)).Message);
        Assert.Throws<ArgumentNullException>(() => new SomTrainer<IrisSom>(null!));
    }
}
