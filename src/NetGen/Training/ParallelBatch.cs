using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen;

/// <summary>
/// Data-parallel mini-batches: each batch is cut into one contiguous part per worker; worker k runs the network's
/// <c>TrainingBatch</c> on its part into a gradient buffer of its own (worker 0 is the calling thread and writes straight
/// into the caller's buffer), and the parts' gradients are then added in worker order 1, 2, … — a fixed order, so for a
/// given worker count a seed reproduces the run bit for bit. Each part draws its dropout masks from a stream seeded by
/// (the batch's seed, k).
/// </summary>
/// <remarks>
/// Worker threads are dedicated (not thread-pool) threads that live for one <c>Fit</c>: each keeps its own per-thread
/// batch buffer warm, so a step allocates nothing once every worker has run its first batch. Between batches a worker
/// spins for up to <see cref="SpinMilliseconds"/> before blocking: waking a blocked thread costs tens of microseconds on a
/// virtual machine, as much as a whole part of a small batch, while the next batch usually arrives within the optimizer
/// step. The caller spins the same way for the workers to finish.
/// </remarks>
internal sealed unsafe class ParallelBatch<TNetwork> : IDisposable
    where TNetwork : class, INetwork<TNetwork>
{
    private readonly Worker[] _workers;
    // spinCount 0: this class spins by itself before it waits, and an event that spins first can let a short Wait(1) time
    // out before it has allocated its lock (on a loaded machine a few yields take over 1 ms), so the lock would then be
    // allocated mid-epoch by the first real wait.
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private int _pending;
    private int _generation; // bumped once per batch; workers start when it moves
    private Exception? _failure;

    /// <summary>How long an idle worker (or the caller waiting for workers) spins before it blocks.</summary>
    private const double SpinMilliseconds = 2.0;

    private static readonly long SpinTicks = (long)(SpinMilliseconds * System.Diagnostics.Stopwatch.Frequency / 1000);

    // The batch being run, read by the workers after their start signal.
    private float* _parameters; // pinned by Run for as long as the workers read it
    private int _parameterCount;
    private float[] _inputs = [], _targets = [];
    private int _count, _parts;
    private ulong _seed;

    /// <summary>Starts <paramref name="workers"/> − 1 threads (the caller is worker 0).</summary>
    public ParallelBatch(int workers, string networkName)
    {
        // A ManualResetEventSlim allocates its lock the first time a thread blocks on it: make that happen now (1 ms),
        // not in the middle of an epoch that has to allocate nothing.
        _done.Wait(1);
        _workers = new Worker[workers - 1];
        for (int k = 1; k < workers; k++)
            _workers[k - 1] = new Worker(this, k, networkName);
    }

    /// <summary>Bytes the worker threads (not the caller) have allocated so far, as of their last finished part.</summary>
    internal long WorkerAllocatedBytes
    {
        get
        {
            long total = 0;
            foreach (var worker in _workers) total += Volatile.Read(ref worker.AllocatedBytes);
            return total;
        }
    }

    /// <summary>The number of threads a batch is split across, the caller included.</summary>
    public int Workers => _workers.Length + 1;

    /// <summary>
    /// The sum of the losses of the first <paramref name="count"/> samples in <paramref name="inputs"/>/<paramref name="targets"/>,
    /// and the gradient of that sum added into <paramref name="gradients"/>, computed by up to <see cref="Workers"/> threads.
    /// </summary>
    public float Run(Span<float> parameters, float[] inputs, float[] targets, int count, Span<float> gradients, ulong seed)
    {
        fixed (float* pinned = parameters)
        {
            _parameters = pinned;
            _parameterCount = parameters.Length;
            try
            {
                return RunPinned(inputs, targets, count, gradients, seed);
            }
            finally
            {
                _parameters = null;
            }
        }
    }

    private float RunPinned(float[] inputs, float[] targets, int count, Span<float> gradients, ulong seed)
    {
        // Every worker takes part in every batch (a part may be empty when the batch has fewer samples than workers).
        int parts = Workers;
        _inputs = inputs;
        _targets = targets;
        _count = count;
        _parts = parts;
        _seed = seed;
        _failure = null;
        _done.Reset();
        Volatile.Write(ref _pending, parts - 1);
        Interlocked.Increment(ref _generation);
        for (int k = 1; k < parts; k++)
            _workers[k - 1].Start();
        float loss0 = 0f;
        Exception? own = null;
        try
        {
            loss0 = RunPart(0, gradients);
        }
        catch (Exception exception)
        {
            own = exception;
        }
        if (parts > 1)
        {
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _pending) != 0 && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                Thread.SpinWait(20);
            if (Volatile.Read(ref _pending) != 0)
                _done.Wait();
        }
        if (own is not null)
            ExceptionDispatchInfo.Capture(own).Throw();
        if (_failure is not null)
            ExceptionDispatchInfo.Capture(_failure).Throw();
        // Fixed order: part 0's loss and gradient, then part 1's, part 2's, …
        float loss = loss0;
        for (int k = 1; k < parts; k++)
            if (PartLength(k) > 0)
            {
                loss += _workers[k - 1].Loss;
                GradientMath.Add(gradients, _workers[k - 1].Gradients);
            }
        return loss;
    }

    /// <summary>Part k of the batch: samples [k·count/parts, (k+1)·count/parts).</summary>
    private float RunPart(int k, Span<float> gradients)
    {
        int from = PartStart(k), n = PartLength(k);
        if (n == 0) return 0f;
        var random = new SeededRandom(unchecked((long)(_seed ^ ((ulong)k * 0x9E3779B97F4A7C15UL))));
        return TNetwork.TrainingBatch(new Span<float>(_parameters, _parameterCount),
            _inputs.AsSpan(from * TNetwork.InputSize, n * TNetwork.InputSize),
            _targets.AsSpan(from * TNetwork.OutputSize, n * TNetwork.OutputSize), n, gradients, ref random);
    }

    private int PartStart(int k) => (int)((long)k * _count / _parts);

    private int PartLength(int k) => PartStart(k + 1) - PartStart(k);

    private void Finished(Exception? failure)
    {
        if (failure is not null)
            Interlocked.CompareExchange(ref _failure, failure, null);
        if (Interlocked.Decrement(ref _pending) == 0)
            _done.Set();
    }

    /// <summary>Stops and joins the worker threads.</summary>
    public void Dispose()
    {
        foreach (var worker in _workers) worker.Stop();
        _done.Dispose();
    }

    /// <summary>One dedicated thread and its gradient buffer.</summary>
    private sealed class Worker
    {
        private readonly ParallelBatch<TNetwork> _owner;
        private readonly int _index;
        private readonly ManualResetEventSlim _go = new(false, spinCount: 0); // see _done
        private readonly Thread _thread;
        private volatile bool _stop;

        public Worker(ParallelBatch<TNetwork> owner, int index, string networkName)
        {
            _owner = owner;
            _index = index;
            _thread = new Thread(Loop) { IsBackground = true, Name = $"NetGen {networkName} worker {index}" };
            _thread.Start();
        }

        public float[] Gradients { get; } = new float[TNetwork.ParameterCount];

        public float Loss { get; private set; }

        /// <summary>This thread's <see cref="GC.GetAllocatedBytesForCurrentThread"/> after its last part.</summary>
        public long AllocatedBytes;

        /// <summary>Wakes the worker if it blocked; a spinning worker sees the new generation by itself.</summary>
        public void Start() => _go.Set();

        public void Stop()
        {
            _stop = true;
            Interlocked.Increment(ref _owner._generation);
            _go.Set();
            _thread.Join();
            _go.Dispose();
        }

        private void Loop()
        {
            _go.Wait(1); // allocates the event's lock now rather than the first time the worker blocks (see the constructor)
            int seen = 0;
            while (true)
            {
                // Spin while the next batch is likely to come soon, then block until Start.
                long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                while (Volatile.Read(ref _owner._generation) == seen && System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                    Thread.SpinWait(20);
                while (Volatile.Read(ref _owner._generation) == seen)
                {
                    _go.Reset();
                    if (Volatile.Read(ref _owner._generation) != seen) break;
                    _go.Wait();
                }
                seen = Volatile.Read(ref _owner._generation);
                if (_stop) return;
                Exception? failure = null;
                try
                {
                    if (_owner.PartLength(_index) > 0)
                    {
                        Array.Clear(Gradients);
                        Loss = _owner.RunPart(_index, Gradients);
                    }
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                _owner.Finished(failure);
            }
        }
    }
}
