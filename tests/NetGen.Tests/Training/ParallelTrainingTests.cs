using NetGen.Tests.Networks;

namespace NetGen.Tests.Training;

/// <summary>Data-parallel mini-batches (<see cref="Trainer{TNetwork}.Threads"/>, <c>ParallelBatch</c>).</summary>
public class ParallelTrainingTests
{
    private static Dataset Images(int count) => Dataset.FromLabels(
        Enumerable.Range(0, count * 784).Select(i => (i * 7919 % 257) / 257f).ToArray(), 784,
        Enumerable.Range(0, count).Select(i => i * 3 % 10).ToArray(), 10);

    private static Dataset Labelled37(int count) => Dataset.FromLabels(
        Enumerable.Range(0, count * 37).Select(i => (i * 31 % 101) / 101f - 0.5f).ToArray(), 37,
        Enumerable.Range(0, count).Select(i => i % 5).ToArray(), 5);

    [Fact]
    public void The_parts_gradients_are_added_in_worker_order()
    {
        // Three workers on a batch of 10: parts of 3, 3 and 4 samples. The result must be, bit for bit, part 0's
        // TrainingBatch, then part 1's gradient added, then part 2's — whichever worker finishes first.
        var net = new FashionSubsetNet();
        var data = Images(10);
        float[] inputs = new float[10 * 784], targets = new float[10 * 10];
        for (int b = 0; b < 10; b++)
        {
            data.Input(b).CopyTo(inputs.AsSpan(b * 784));
            data.Target(b).CopyTo(targets.AsSpan(b * 10));
        }
        const ulong Seed = 12345;
        var expected = new float[FashionSubsetNet.ParameterCount];
        float expectedLoss = 0f;
        int[] starts = [0, 3, 6, 10];
        for (int k = 0; k < 3; k++)
        {
            var part = new float[FashionSubsetNet.ParameterCount];
            var random = new SeededRandom(unchecked((long)(Seed ^ ((ulong)k * 0x9E3779B97F4A7C15UL))));
            int n = starts[k + 1] - starts[k];
            float loss = FashionSubsetNet.TrainingBatch(net.Parameters, inputs.AsSpan(starts[k] * 784, n * 784), targets.AsSpan(starts[k] * 10, n * 10), n,
                k == 0 ? expected : part, ref random);
            expectedLoss = k == 0 ? loss : expectedLoss + loss;
            if (k > 0)
                for (int i = 0; i < part.Length; i++) expected[i] += part[i];
        }
        using var parallel = new ParallelBatch<FashionSubsetNet>(3, nameof(FashionSubsetNet));
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var gradients = new float[FashionSubsetNet.ParameterCount];
            float loss = parallel.Run(net.Parameters, inputs, targets, 10, gradients, Seed);
            Assert.Equal(expectedLoss, loss);
            Assert.Equal(expected, gradients);
        }
    }

    [Fact]
    public void Two_threads_take_the_same_steps_as_one_up_to_float_rounding()
    {
        var data = Images(96);
        float[] Train(int threads)
        {
            var net = new FashionSubsetNet();
            var trainer = new Trainer<FashionSubsetNet>(net, new Sgd(0.05f), seed: 3) { BatchSize = 32, Threads = threads };
            trainer.Fit(data, 2);
            return net.Parameters.ToArray();
        }
        float[] one = Train(1), two = Train(2);
        float largest = one.Max(Math.Abs);
        for (int i = 0; i < one.Length; i++)
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-5f * largest, $"θ[{i}]: one thread {one[i]:G9}, two {two[i]:G9}");
        Assert.NotEqual(new FashionSubsetNet().Parameters.ToArray(), two); // it trained
    }

    [Fact]
    public void A_seed_reproduces_a_parallel_run_bit_for_bit_with_dropout()
    {
        var data = Labelled37(100);
        (float[] Parameters, float Loss) Train(int threads)
        {
            var net = new LoopedDropout(7);
            var trainer = new Trainer<LoopedDropout>(net, new Adam(0.01f), seed: 11) { BatchSize = 16, Threads = threads };
            var history = trainer.Fit(data, 3);
            return (net.Parameters.ToArray(), history.Epochs[^1].Loss);
        }
        var first = Train(3);
        var second = Train(3);
        Assert.Equal(first.Parameters, second.Parameters);
        Assert.Equal(first.Loss, second.Loss);
        // Another worker count draws other masks per part: a different (equally valid) run.
        Assert.NotEqual(first.Parameters, Train(2).Parameters);
    }

    [Fact]
    public void A_worker_failure_reaches_the_caller_and_the_next_batch_runs()
    {
        var net = new FashionSubsetNet();
        using var parallel = new ParallelBatch<FashionSubsetNet>(2, nameof(FashionSubsetNet));
        // Targets too short for the second part (samples 2 and 3): only the worker thread fails.
        Assert.ThrowsAny<ArgumentException>(() =>
            parallel.Run(net.Parameters, new float[4 * 784], new float[3 * 10], 4, new float[FashionSubsetNet.ParameterCount], 1));
        var gradients = new float[FashionSubsetNet.ParameterCount];
        float loss = parallel.Run(net.Parameters, new float[4 * 784], Enumerable.Repeat(0.1f, 4 * 10).ToArray(), 4, gradients, 1);
        Assert.True(float.IsFinite(loss) && loss > 0);
        Assert.Contains(gradients, g => g != 0);
    }

    [Fact]
    public void Threads_is_checked_and_batch_normalization_stays_on_one_thread()
    {
        var trainer = new Trainer<LoopedBatchNorm>(new LoopedBatchNorm(), new Adam()) { BatchSize = 64 };
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Threads = -1);
        Assert.Contains("0 (automatic)", exception.Message);
        Assert.Equal(1, trainer.ThreadsFor(1024)); // automatic: never splits a normalized batch
        trainer.Threads = 2;
        var refused = Assert.Throws<InvalidOperationException>(() => trainer.Fit(Labelled37BatchNorm(8), 1));
        Assert.Contains("set Threads to 0 (automatic) or 1", refused.Message);
    }

    private static Dataset Labelled37BatchNorm(int count) => Dataset.FromRows(
        Enumerable.Range(0, count).Select(b => Enumerable.Range(0, 37).Select(i => (b * 37 + i) % 13 / 13f).ToArray()).ToArray(),
        Enumerable.Range(0, count).Select(b => Enumerable.Range(0, 5).Select(i => (b + i) % 3 / 3f).ToArray()).ToArray());

    [Fact]
    public void The_automatic_choice_splits_only_batches_worth_splitting()
    {
        var mnist = new Trainer<Mnist>(new Mnist(), new Adam());
        // 784-128-10: 409,088 operations per sample, 101,770 parameters → a part needs ≥ 40.7 M operations (100 samples).
        Assert.Equal(1, mnist.ThreadsFor(32));
        Assert.Equal(1, mnist.ThreadsFor(128));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 2), mnist.ThreadsFor(256));
        Assert.Equal(Math.Min(Environment.ProcessorCount, 4), mnist.ThreadsFor(400));
        var xor = new Trainer<XorNet>(new XorNet(), new Sgd(0.1f));
        Assert.Equal(1, xor.ThreadsFor(100_000 / 2)); // 2 M operations would take 100,000 XOR samples per part
        mnist.Threads = 1;
        Assert.Equal(1, mnist.ThreadsFor(4096));
        mnist.Threads = 4;
        Assert.Equal(4, mnist.ThreadsFor(32));
        Assert.Equal(3, mnist.ThreadsFor(3));
    }
}

/// <summary>Allocations of the caller and of every worker thread, each counted on its own thread.</summary>
public class ParallelAllocationTests
{
    [Fact]
    public void A_parallel_batch_allocates_nothing_on_any_thread_after_the_first()
    {
        var net = new FashionSubsetNet();
        var data = Enumerable.Range(0, 16 * 784).Select(i => (i * 7 % 13) / 13f).ToArray();
        var targets = Enumerable.Range(0, 16 * 10).Select(i => i % 10 == i / 10 % 10 ? 1f : 0f).ToArray();
        var gradients = new float[FashionSubsetNet.ParameterCount];
        using var parallel = new ParallelBatch<FashionSubsetNet>(3, nameof(FashionSubsetNet));
        // Warm up past tiered compilation on every thread: 300 runs and at least 500 ms, since under load (two test
        // assemblies in parallel on two cores) tier-1 code can be installed after the 300th call, and its bookkeeping
        // (24 B) then lands in the measured loop.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 300 || warm.ElapsedMilliseconds < 500; i++) parallel.Run(net.Parameters, data, targets, 16, gradients, (ulong)i);
        long workersBefore = parallel.WorkerAllocatedBytes, callerBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) parallel.Run(net.Parameters, data, targets, 16, gradients, (ulong)i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - callerBefore);
        Assert.Equal(0, parallel.WorkerAllocatedBytes - workersBefore);
        Assert.True(workersBefore > 0); // the meter reads the workers (each allocated its batch buffer once)
    }

    [Fact]
    public void A_parallel_epoch_allocates_nothing_on_the_calling_thread_after_its_first_batch()
    {
        var trainer = new Trainer<FashionSubsetNet>(new FashionSubsetNet(), new Adam()) { BatchSize = 8, Threads = 2 };
        var images = Dataset.FromLabels(new float[40 * 784].Select((_, i) => (i * 7 % 13) / 13f).ToArray(), 784, Enumerable.Range(0, 40).Select(i => i % 10).ToArray(), 10);
        long start = 0, bytes = -1;
        trainer.Callbacks.Add(new Meter(() => start = GC.GetAllocatedBytesForCurrentThread(), () => bytes = GC.GetAllocatedBytesForCurrentThread() - start));
        trainer.Fit(images, 4);
        Assert.Equal(0, bytes);
    }

    private sealed class Meter(Action begin, Action end) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, float loss)
        {
            if (batch != 1) return;
            if (context.Epoch == 3) begin();
            if (context.Epoch == 4) end();
        }
    }
}
