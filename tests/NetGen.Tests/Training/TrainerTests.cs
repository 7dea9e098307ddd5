namespace NetGen.Tests.Training;

public class TrainerTests
{
    private static Dataset Xor() => Dataset.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]);

    /// <summary>y = 2x₀ − 3x₁ + 0.5x₂ + 1 on 200 random points in [−1, 1]³: a convex least-squares problem with optimum 0.</summary>
    internal static Dataset LinearData(int count = 200, int seed = 5)
    {
        var random = new Random(seed);
        var x = new float[count * 3];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)(random.NextDouble() * 2 - 1);
            y[i] = 2 * x[i * 3] - 3 * x[i * 3 + 1] + 0.5f * x[i * 3 + 2] + 1;
        }
        return Dataset.Create<LinearRegressor>(x, y);
    }

    private static float MeanLoss<T>(T net, Dataset data) where T : class, INetwork<T>
    {
        double sum = 0;
        for (int i = 0; i < data.Count; i++) sum += net.ComputeLoss(data.Input(i), data.Target(i));
        return (float)(sum / data.Count);
    }

    /// <summary>Records the gradient each step receives, then applies plain SGD.</summary>
    private sealed class SpyOptimizer(float learningRate) : IOptimizer
    {
        public List<float[]> Gradients { get; } = new();
        public float LearningRate { get; set; } = learningRate;
        public void Reset() => Gradients.Clear();
        public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
        {
            Gradients.Add(gradients.ToArray());
            for (int i = 0; i < parameters.Length; i++) parameters[i] -= LearningRate * gradients[i];
        }
    }

    public static TheoryData<string> MiniBatchOptimizers => new() { "Sgd", "SgdMomentum", "SgdNesterov", "AdaGrad", "RmsProp", "Adam", "AdamW" };

    private static IOptimizer Make(string name, bool forXor) => name switch
    {
        "Sgd" => new Sgd(forXor ? 0.5f : 0.1f),
        "SgdMomentum" => new Sgd(forXor ? 0.1f : 0.05f, momentum: 0.9f),
        "SgdNesterov" => new Sgd(forXor ? 0.1f : 0.05f, momentum: 0.9f, nesterov: true),
        "AdaGrad" => new AdaGrad(forXor ? 0.1f : 0.3f),
        "RmsProp" => new RmsProp(forXor ? 0.01f : 0.003f), // its step stays ~η near the optimum: a smaller η ends closer
        "Adam" => new Adam(forXor ? 0.02f : 0.05f),
        "AdamW" => new AdamW(forXor ? 0.02f : 0.05f, weightDecay: 1e-4f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(MiniBatchOptimizers))]
    public void Each_optimizer_solves_linear_regression(string name)
    {
        var data = LinearData();
        var net = new LinearRegressor(seed: 1);
        float before = MeanLoss(net, data);
        new Trainer<LinearRegressor>(net, Make(name, forXor: false), seed: 2) { BatchSize = 16 }.Fit(data, epochs: 300);
        float after = MeanLoss(net, data);
        Assert.True(after < 1e-4f, $"{name}: loss {before} → {after}.");
        // The optimum is known: w = (2, −3, 0.5), b = 1.
        float[] expected = [2f, -3f, 0.5f, 1f];
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(net.Parameters[i] - expected[i]) < 0.02f, $"{name}: {LinearRegressor.ParameterName(i)} = {net.Parameters[i]}, expected {expected[i]}.");
    }

    [Theory]
    [MemberData(nameof(MiniBatchOptimizers))]
    public void Each_optimizer_trains_xor(string name)
    {
        var net = new XorNet(seed: 1);
        new Trainer<XorNet>(net, Make(name, forXor: true), seed: 1) { BatchSize = 4 }.Fit(Xor(), epochs: 3000);
        var output = new float[1];
        var data = Xor();
        for (int i = 0; i < data.Count; i++)
        {
            net.Predict(data.Input(i), output);
            Assert.True(Math.Abs(output[0] - data.Target(i)[0]) < 0.3f, $"{name}: XOR case {i} predicts {output[0]}.");
        }
        Assert.True(MeanLoss(net, data) < 0.02f, $"{name}: XOR loss {MeanLoss(net, data)}.");
    }

    [Fact]
    public void Full_batch_optimizers_solve_linear_regression_and_xor()
    {
        var linear = LinearData();
        foreach (IFullBatchOptimizer optimizer in new IFullBatchOptimizer[] { new Lbfgs(), new Newton() })
        {
            var net = new LinearRegressor(seed: 1);
            new Trainer<LinearRegressor>(net, optimizer).Fit(linear, epochs: 20);
            Assert.True(MeanLoss(net, linear) < 1e-8f, $"{optimizer.GetType().Name}: linear loss {MeanLoss(net, linear)}.");

            var xor = new XorNet(seed: 1);
            optimizer.Reset();
            new Trainer<XorNet>(xor, optimizer).Fit(Xor(), epochs: 200);
            Assert.True(MeanLoss(xor, Xor()) < 1e-3f, $"{optimizer.GetType().Name}: XOR loss {MeanLoss(xor, Xor())}.");
        }
    }

    [Fact]
    public void Lbfgs_reaches_a_tighter_loss_than_sgd_in_fewer_iterations()
    {
        // The same full-batch problem, the same start: 60 L-BFGS iterations against 600 steps of the best plain SGD rate.
        var net = new XorNet(seed: 4);
        var lbfgsHistory = new Trainer<XorNet>(net, new Lbfgs()).Fit(Xor(), epochs: 60);
        float lbfgs = MeanLoss(net, Xor());

        float sgd = float.MaxValue;
        foreach (float rate in new[] { 0.5f, 1f, 2f, 4f })
        {
            var other = new XorNet(seed: 4);
            new Trainer<XorNet>(other, new Sgd(rate)) { BatchSize = 4 }.Fit(Xor(), epochs: 600);
            sgd = Math.Min(sgd, MeanLoss(other, Xor()));
        }
        Assert.True(lbfgs < sgd / 10, $"L-BFGS after 60 iterations: {lbfgs}; best SGD after 600: {sgd}.");
        // Armijo line search: the loss never rises from one iteration to the next.
        for (int e = 1; e < lbfgsHistory.Epochs.Count; e++)
            Assert.True(lbfgsHistory.Epochs[e].Loss <= lbfgsHistory.Epochs[e - 1].Loss);
    }

    [Fact]
    public void Newton_refuses_networks_above_its_documented_size()
    {
        var trainer = new Trainer<FashionSubsetNet>(new FashionSubsetNet(), new Newton());
        var data = new Dataset(new float[784], OneHot.Encode([3], 10), 784, 10);
        var before = trainer.Network.Parameters.ToArray();
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data, 1));
        Assert.Contains(Newton.MaxParameterCount.ToString(), error.Message);
        Assert.Contains("Lbfgs", error.Message);
        Assert.Equal(before, trainer.Network.Parameters.ToArray());
    }

    [Fact]
    public void Training_is_reproducible_bit_for_bit_with_adam_validation_and_callbacks()
    {
        float[] Train()
        {
            var data = LinearData(100, seed: 9);
            var net = new LinearRegressor(seed: 3);
            var trainer = new Trainer<LinearRegressor>(net, new Adam(0.01f), seed: 9) { BatchSize = 7, L2 = 1e-3f, ClipGradientNorm = 1f };
            trainer.Callbacks.Add(new CosineAnnealing(20));
            trainer.Fit(data, epochs: 20, validationSplit: 0.2);
            return net.Parameters.ToArray();
        }
        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        // Validation targets are the opposite of the training targets, so the validation loss rises as training succeeds.
        var train = Xor();
        var flipped = Dataset.FromRows([[0, 0], [0, 1], [1, 0], [1, 1]], [[1], [0], [0], [1]]);
        var net = new XorNet(seed: 1);
        var trainer = new Trainer<XorNet>(net, new Adam(0.05f), seed: 1) { BatchSize = 4 };
        var snapshots = new Dictionary<int, float[]>();
        trainer.Callbacks.Add(Callback.OnEpoch(e => snapshots[e.Epoch] = net.Parameters.ToArray()));
        var stopping = new EarlyStopping(patience: 3, restoreBest: true);
        trainer.Callbacks.Add(stopping);

        var history = trainer.Fit(train, epochs: 500, validation: flipped);

        var losses = history.Epochs.Select(e => e.Validation!.Value.Loss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;
        Assert.Equal(best, stopping.BestEpoch);
        Assert.Equal(best + 3, history.Epochs.Count);
        Assert.Equal(best + 3, stopping.StoppedEpoch);
        Assert.Equal(best + 3, history.StoppedEpoch);
        Assert.True(history.Epochs.Count < 500);
        Assert.Equal(snapshots[best], net.Parameters.ToArray());
        Assert.NotEqual(snapshots[history.Epochs.Count], net.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_without_validation_data_says_how_to_fix_it()
    {
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd(0.1f));
        trainer.Callbacks.Add(new EarlyStopping());
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Xor(), 5));
        Assert.Contains("validationSplit", error.Message);
        Assert.Contains("Monitored.Loss", error.Message);
    }

    [Fact]
    public void Schedules_produce_their_documented_sequences()
    {
        float[] Sequence(LearningRateSchedule s, int n) => Enumerable.Range(1, n).Select(e => s.LearningRateAt(e, 1f)).ToArray();
        // ηₑ = η₀·γ^⌊(e − 1)/s⌋
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], Sequence(new StepDecay(2, 0.5f), 5));
        // ηₑ = η₀·γ^(e − 1)
        Assert.Equal([1f, 0.9f, 0.81f, 0.729f], Sequence(new ExponentialDecay(0.9f), 4), new ToleranceComparer(1e-6f));
        // ηₑ = η_min + (η₀ − η_min)(1 + cos(π(e − 1)/T))/2, T = 4, η_min = 0.1, then η_min
        double C(int t) => 0.1 + 0.9 * (1 + Math.Cos(Math.PI * t / 4)) / 2;
        Assert.Equal([1f, (float)C(1), 0.55f, (float)C(3), 0.1f, 0.1f], Sequence(new CosineAnnealing(4, 0.1f), 6), new ToleranceComparer(1e-6f));

        // And through Fit: each epoch records the rate it used.
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd(0.8f)) { BatchSize = 4 };
        trainer.Callbacks.Add(new StepDecay(2, 0.5f));
        var history = trainer.Fit(Xor(), 5);
        Assert.Equal([0.8f, 0.8f, 0.4f, 0.4f, 0.2f], history.Epochs.Select(e => e.LearningRate).ToArray());
    }

    [Fact]
    public void Reduce_on_plateau_follows_keras_rule()
    {
        // Losses 1, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5 with patience 2, factor 0.5, cooldown 1:
        // e3 wait 1, e4 wait 2 → η 0.5 (cooldown 1); e5 cooldown → wait 0; e6 improves; e7 wait 1; e8 wait 2 → η 0.25.
        var callback = new ReduceLearningRateOnPlateau(factor: 0.5f, patience: 2, minDelta: 0f, cooldown: 1, monitor: Monitored.Loss);
        float rate = 1f;
        var context = new TrainingContext(new XorNet(), Loss.MeanSquaredError, new TrainingHistory(), 1, false, () => rate, r => rate = r);
        callback.OnTrainBegin(context);
        float[] losses = [1f, 0.9f, 0.9f, 0.9f, 0.9f, 0.5f, 0.5f, 0.5f];
        var rates = new List<float>();
        for (int e = 0; e < losses.Length; e++)
        {
            callback.OnEpochEnd(context, new EpochResult(e + 1, losses[e], null, null, rate, TimeSpan.Zero));
            rates.Add(rate);
        }
        Assert.Equal([1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f], rates);
    }

    [Fact]
    public void Clipping_bounds_the_gradient_norm()
    {
        var data = LinearData(64);
        double MaxNorm(float? clip)
        {
            var spy = new SpyOptimizer(0.01f);
            new Trainer<LinearRegressor>(new LinearRegressor(seed: 1), spy) { BatchSize = 8, ClipGradientNorm = clip }.Fit(data, 3);
            return spy.Gradients.Max(g => Math.Sqrt(g.Sum(x => (double)x * x)));
        }
        double unclipped = MaxNorm(null);
        Assert.True(unclipped > 1, $"The unclipped gradient norm {unclipped} is too small to test clipping.");
        double clipped = MaxNorm(0.5f);
        Assert.True(clipped <= 0.5 * (1 + 1e-6), $"A clipped step had norm {clipped}.");
        Assert.True(clipped > 0.49, "Clipping should rescale to the limit, not below it.");
    }

    [Fact]
    public void L1_and_L2_add_their_gradient_to_weights_and_leave_biases()
    {
        var data = LinearData(8);
        float[] FirstGradient(float l1, float l2, out float[] theta)
        {
            var net = new LinearRegressor(seed: 4);
            theta = net.Parameters.ToArray();
            var spy = new SpyOptimizer(0.01f);
            new Trainer<LinearRegressor>(net, spy) { BatchSize = 8, L1 = l1, L2 = l2 }.Fit(data, 1);
            return spy.Gradients[0];
        }
        var plain = FirstGradient(0, 0, out var w);
        var l2 = FirstGradient(0, 0.3f, out _);
        var l1 = FirstGradient(0.2f, 0, out _);
        // Weights W1[0,0..2] at 0..2 gain 2·λ₂·w and λ₁·sign(w); the bias b1[0] at 3 gains nothing.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(plain[i] + 2 * 0.3f * w[i], l2[i], 1e-5f);
            Assert.Equal(plain[i] + 0.2f * Math.Sign(w[i]), l1[i], 1e-5f);
        }
        Assert.Equal(plain[3], l2[3]);
        Assert.Equal(plain[3], l1[3]);
        Assert.Equal(ParameterRole.Bias, LinearRegressor.ParameterLayout[1].Role);
    }

    [Fact]
    public void L2_shrinks_trained_weights_but_not_the_bias()
    {
        var data = LinearData();
        float[] Train(float l2)
        {
            var net = new LinearRegressor(seed: 1);
            new Trainer<LinearRegressor>(net, new Adam(0.05f), seed: 2) { BatchSize = 16, L2 = l2 }.Fit(data, 200);
            return net.Parameters.ToArray();
        }
        var plain = Train(0);
        var decayed = Train(0.5f);
        double Norm(float[] p) => Math.Sqrt(p.Take(3).Sum(x => (double)x * x));
        Assert.True(Norm(decayed) < 0.7 * Norm(plain), $"‖W‖ {Norm(plain)} → {Norm(decayed)} with L2.");
        // The bias is free to fit the intercept: for this data it stays near its unregularized value of 1.
        Assert.True(Math.Abs(decayed[3] - 1f) < 0.15f, $"The bias moved to {decayed[3]}.");
    }

    [Fact]
    public void A_nan_in_the_data_stops_training_with_epoch_and_batch_and_leaves_the_parameters()
    {
        var x = new float[] { 0.1f, 0.2f, 0.3f, float.NaN, 0.5f, 0.6f };
        var data = Dataset.Create<LinearRegressor>(x, [1f, 2f]);
        var net = new LinearRegressor(seed: 1);
        var before = net.Parameters.ToArray();
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer<LinearRegressor>(net, new Adam()) { BatchSize = 2 }.Fit(data, 3));
        Assert.Equal(1, error.Epoch);
        Assert.Equal(1, error.Batch);
        Assert.Contains("epoch 1, batch 1", error.Message);
        Assert.Contains("NaN", error.Message);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void A_huge_learning_rate_stops_training_and_keeps_the_last_good_parameters()
    {
        var data = LinearData(64);
        var net = new LinearRegressor(seed: 1);
        var trainer = new Trainer<LinearRegressor>(net, new Sgd(1e4f), seed: 1) { BatchSize = 8 };
        var afterStep = new List<float[]> { net.Parameters.ToArray() };
        var losses = new List<float>();
        trainer.Callbacks.Add(new Recorder(afterStep, losses));
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, 10));
        Assert.Contains("learning rate", error.Message);
        // afterStep[j] = θ after j steps; batch k (from 1 over the run) failed at θ after k − 1 steps. The last parameters with
        // a finite loss are those after k − 2 steps.
        int failedAt = losses.Count + 1;
        Assert.True(failedAt >= 2, "The run should take at least one step before diverging.");
        Assert.Equal(afterStep[failedAt - 2], net.Parameters.ToArray());
        Assert.All(net.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_step_that_breaks_the_parameters_at_an_epoch_boundary_is_undone()
    {
        // One batch per epoch and an absurd rate: the first step sends θ to ±∞. Whether that is found by the next epoch's
        // loss or after the last epoch, the network must end with its initial (last finite-loss) parameters.
        foreach (int epochs in new[] { 1, 2 })
        {
            var net = new LinearRegressor(seed: 1);
            var before = net.Parameters.ToArray();
            var trainer = new Trainer<LinearRegressor>(net, new Sgd(3e38f)) { BatchSize = 64 };
            Assert.Throws<TrainingDivergedException>(() => trainer.Fit(LinearData(64), epochs));
            Assert.Equal(before, net.Parameters.ToArray());
        }
    }

    [Fact]
    public void Random_restarts_survive_runs_that_diverge()
    {
        var trainer = new Trainer<LinearRegressor>(new LinearRegressor(), new Sgd(3e38f)) { BatchSize = 64 };
        var result = trainer.FitWithRestarts(LinearData(64), epochs: 2, restarts: 3, validation: LinearData(16, 3));
        Assert.Equal(3, result.ValidationLosses.Count);
        Assert.All(result.ValidationLosses, l => Assert.True(float.IsNaN(l)));
        Assert.All(trainer.Network.Parameters.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Misuse_gets_a_message_that_names_the_fix()
    {
        var regression = new Trainer<LinearRegressor>(new LinearRegressor(), new Adam());
        regression.Callbacks.Add(new EarlyStopping(monitor: Monitored.ValidationAccuracy));
        var accuracy = Assert.Throws<InvalidOperationException>(() => regression.Fit(LinearData(10), 1, LinearData(5)));
        Assert.Contains("Monitor ValidationLoss or ValidationMeanAbsoluteError", accuracy.Message);

        var empty = new Dataset([], [], 3, 1);
        Assert.Contains("no samples", Assert.Throws<ArgumentException>(() => new Trainer<LinearRegressor>(new LinearRegressor(), new Adam()).Fit(empty, 1)).Message);
    }

    private sealed class Recorder(List<float[]> afterStep, List<float> losses) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, float loss)
        {
            afterStep.Add(context.Network.Parameters.ToArray());
            losses.Add(loss);
        }
    }

    [Fact]
    public void Validation_split_holds_out_a_seeded_random_share()
    {
        var data = LinearData(50);
        var trainer = new Trainer<LinearRegressor>(new LinearRegressor(), new Adam(), seed: 3) { BatchSize = 10 };
        var history = trainer.Fit(data, 2, validationSplit: 0.2);
        Assert.All(history.Epochs, e => Assert.Equal(10, e.Validation!.Value.Count));
        Assert.Equal(4, trainer.Callbacks.Count + 4); // no callbacks were needed
        // Training saw 40 samples: 4 batches of 10 per epoch.
        int batches = 0;
        var counting = new Trainer<LinearRegressor>(new LinearRegressor(), new Adam(), seed: 3) { BatchSize = 10 };
        counting.Callbacks.Add(new BatchCounter(() => batches++));
        counting.Fit(data, 1, validationSplit: 0.2);
        Assert.Equal(4, batches);
    }

    private sealed class BatchCounter(Action count) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, float loss) => count();
    }

    [Fact]
    public void Evaluate_reports_loss_and_metrics_computed_by_hand()
    {
        // ŷ = x₀ (W = [1, 0, 0], b = 0) on targets 1: errors 0, 1, 2 → MAE 1, MSE 5/3; the loss is MSE too.
        var net = new LinearRegressor();
        net.Parameters.Clear();
        net.Parameters[0] = 1f;
        var data = Dataset.Create<LinearRegressor>([1, 0, 0, 2, 0, 0, 3, 0, 0], [1, 1, 1]);
        var result = new Trainer<LinearRegressor>(net, new Sgd()).Evaluate(data);
        Assert.Equal(1f, result.MeanAbsoluteError, 1e-6f);
        Assert.Equal(5f / 3f, result.MeanSquaredError, 1e-6f);
        Assert.Equal(5f / 3f, result.Loss, 1e-6f);
        Assert.True(float.IsNaN(result.Accuracy));
        Assert.Equal(3, result.Count);

        // A classifier whose output biases are (0, 1, 0) and weights 0 always predicts class 1, with p = softmax(0, 1, 0).
        var iris = new IrisNet();
        iris.Parameters.Clear();
        iris.Parameters[IrisNet.ParameterLayout[3].Offset + 1] = 1f;
        var labelled = Dataset.FromLabels(new float[16], 4, [1, 1, 0, 2], 3);
        var r = new Trainer<IrisNet>(iris, new Sgd()).Evaluate(labelled);
        double p1 = Math.E / (Math.E + 2), p0 = 1 / (Math.E + 2);
        Assert.Equal(0.5f, r.Accuracy);
        Assert.Equal((float)((-2 * Math.Log(p1) - 2 * Math.Log(p0)) / 4), r.Loss, 1e-5f);
    }

    [Fact]
    public void Random_restarts_keep_the_run_with_the_best_validation_loss()
    {
        var data = Xor();
        var trainer = new Trainer<XorNet>(new XorNet(), new Adam(0.02f), seed: 10) { BatchSize = 4 };
        var result = trainer.FitWithRestarts(data, epochs: 150, restarts: 4, validation: data);
        Assert.Equal(4, result.Histories.Count);
        Assert.Equal(4, result.ValidationLosses.Count);
        Assert.Equal(result.ValidationLosses.Min(), result.ValidationLosses[result.BestRun]);
        Assert.Equal(10 + result.BestRun, result.BestSeed);
        Assert.Equal(result.ValidationLosses.Min(), trainer.Evaluate(data).Loss);
        // Each run starts from its own initialisation, so the runs differ.
        Assert.True(result.ValidationLosses.Distinct().Count() > 1);
        // Re-running the best seed alone reproduces it.
        var single = new XorNet(10 + result.BestRun);
        var again = new Trainer<XorNet>(single, new Adam(0.02f), seed: 10 + result.BestRun) { BatchSize = 4 };
        again.Fit(data, 150, data);
        Assert.Equal(trainer.Network.Parameters.ToArray(), single.Parameters.ToArray());
    }

    [Fact]
    public void Progress_reports_every_batch_and_prints_an_epoch_line()
    {
        var reports = new List<TrainingProgress>();
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd(0.1f)) { BatchSize = 2, EvaluateTrainingSet = true };
        trainer.Fit(Xor(), 3, Xor(), new ListProgress(reports));
        Assert.Equal(3 * 3, reports.Count); // 2 batches + 1 epoch report, per epoch
        Assert.Equal([1, 2], reports.Take(2).Select(r => r.Batch).ToArray());
        Assert.NotNull(reports[2].Completed);
        Assert.Equal(TimeSpan.Zero, reports[^1].Remaining);

        var text = new StringWriter();
        var printer = new ConsoleProgress(text);
        var regression = new Trainer<LinearRegressor>(new LinearRegressor(), new Adam()) { BatchSize = 50 };
        regression.Fit(LinearData(), 2, LinearData(20, 1), printer);
        string output = text.ToString();
        Assert.Contains("Epoch 1/2", output);
        Assert.Contains("Epoch 2/2", output);
        Assert.Contains("val_loss", output);
        Assert.Contains("val_mae", output);
        Assert.Contains("ETA", output);
        Assert.DoesNotContain("\r", output); // not a console: no live line
    }

    private sealed class ListProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }

    [Fact]
    public void One_training_epoch_allocates_nothing_after_its_first_batch()
    {
        var data = LinearData(256);
        var validation = LinearData(64, seed: 8);
        var trainer = new Trainer<LinearRegressor>(new LinearRegressor(), new Adam(), seed: 1) { BatchSize = 16, L1 = 1e-4f, L2 = 1e-4f, ClipGradientNorm = 5f };
        var meter = new AllocationMeter();
        trainer.Callbacks.Add(new EarlyStopping(patience: 100, restoreBest: true));
        trainer.Callbacks.Add(new ReduceLearningRateOnPlateau(patience: 100));
        trainer.Callbacks.Add(new StepDecay(10));
        trainer.Callbacks.Add(meter);
        trainer.Fit(data, 4, validation);
        // From the end of batch 1 of epoch 3 to the end of batch 1 of epoch 4: a whole epoch, its validation, callbacks
        // and history record included.
        Assert.True(meter.Measured, "The meter did not run.");
        Assert.Equal(0, meter.Bytes);

        var adamAndBigNet = new Trainer<FashionSubsetNet>(new FashionSubsetNet(), new Adam()) { BatchSize = 8 };
        var bigMeter = new AllocationMeter();
        adamAndBigNet.Callbacks.Add(bigMeter);
        var images = Dataset.FromLabels(new float[40 * 784].Select((_, i) => (i * 7 % 13) / 13f).ToArray(), 784, Enumerable.Range(0, 40).Select(i => i % 10).ToArray(), 10);
        adamAndBigNet.Fit(images, 4, images);
        Assert.Equal(0, bigMeter.Bytes);

        // Training mode with dropout masks (the per-sample training kernels through TrainingBatch).
        var dropoutTrainer = new Trainer<NetGen.Tests.Networks.LoopedDropout>(new NetGen.Tests.Networks.LoopedDropout(1), new Adam()) { BatchSize = 8 };
        var dropoutMeter = new AllocationMeter();
        dropoutTrainer.Callbacks.Add(dropoutMeter);
        var labelled = Dataset.FromLabels(new float[40 * 37].Select((_, i) => (i * 5 % 11) / 11f).ToArray(), 37, Enumerable.Range(0, 40).Select(i => i % 5).ToArray(), 5);
        dropoutTrainer.Fit(labelled, 4, labelled);
        Assert.Equal(0, dropoutMeter.Bytes);
    }

    private sealed class AllocationMeter : Callback
    {
        private long _start;
        public long Bytes { get; private set; } = -1;
        public bool Measured => Bytes >= 0;

        public override void OnBatchEnd(TrainingContext context, int batch, float loss)
        {
            if (batch != 1) return;
            if (context.Epoch == 3) _start = GC.GetAllocatedBytesForCurrentThread();
            if (context.Epoch == 4) Bytes = GC.GetAllocatedBytesForCurrentThread() - _start;
        }
    }

    [Fact]
    public void Cancelling_returns_the_history_so_far()
    {
        using var cancellation = new CancellationTokenSource();
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd(0.1f)) { BatchSize = 1 };
        trainer.Callbacks.Add(Callback.OnEpoch(epoch => { if (epoch.Epoch == 3) cancellation.Cancel(); }));
        var history = trainer.Fit(Xor(), 100, cancellationToken: cancellation.Token);
        Assert.Equal(3, history.Epochs.Count);
        Assert.True(history.Cancelled);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
