using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains a generated network, Keras-style: <see cref="Fit(Dataset, int, Dataset?, IProgress{TrainingProgress}?, int, CancellationToken)"/>
/// runs epochs of shuffled mini-batches, hands each batch's mean gradient to the optimizer, evaluates a validation set
/// after each epoch, and runs <see cref="Callbacks"/> (early stopping, learning-rate schedules). Optional L1/L2
/// regularization of the weights and gradient clipping apply to every step.
/// </summary>
/// <remarks>
/// <para>Reproducible: single-threaded, and the shuffling order comes from <see cref="Seed"/>, so the same seed, network
/// and data give the same parameters bit for bit on the same machine (SIMD width decides the summation order).</para>
/// <para>Allocation-free per batch: buffers are allocated when <c>Fit</c> starts; a training epoch allocates nothing
/// (with no progress reporter that allocates).</para>
/// <para>With a full-batch optimizer (<see cref="Lbfgs"/>, <see cref="Newton"/>) each epoch is one optimizer iteration over
/// the whole training set, counted as the epoch's one batch (<see cref="Callback.OnBatchEnd"/> runs once per epoch), and
/// <see cref="BatchSize"/> is not used. Their objective is the inference-mode loss (dropout off): a line search needs the
/// same function at every evaluation.</para>
/// </remarks>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class Trainer<TNetwork>
    where TNetwork : class, INetwork<TNetwork>
{
    /// <summary>The network's name for messages, read once: <c>Type.Name</c> lives in a cache the GC may drop, and reading
    /// it again then allocates — inside an epoch, where nothing may.</summary>
    private static readonly string NetworkName = typeof(TNetwork).Name;

    private readonly float[] _gradients = new float[TNetwork.ParameterCount];
    private readonly float[] _lastGood = new float[TNetwork.ParameterCount];
    /// <summary>The parameters at the end of the last epoch whose loss passed the divergence check (see <see cref="DivergenceFactor"/>).</summary>
    private readonly float[] _epochGood = new float[TNetwork.ParameterCount];
    private readonly float[] _output = new float[TNetwork.OutputSize];
    private readonly double[] _metricSums = new double[3 * TNetwork.OutputSize];
    // One standardised input row (evaluation, the full-batch objective) and the standardizer of the current Fit.
    private readonly float[] _row = new float[TNetwork.InputSize];
    private Standardizer? _runStandardizer;
    private readonly Regularization _regularization;
    /// <summary>The trainable prefix of the buffer; the state (running statistics) after it is never given to an optimizer.</summary>
    private static readonly int Trainable = TNetwork.TrainableParameterCount;
    private readonly float[] _stateAtStart = new float[TNetwork.ParameterCount - TNetwork.TrainableParameterCount];
    private float[] _objectiveParameters = [];
    private float[] _objectiveGradient = [];
    private float[] _batchInputs = [];
    private float[] _batchTargets = [];
    private int _shuffleSeed;
    private int _batchSize = 32;
    private float? _clipNorm;
    private bool _haveLastGood;
    private int _threads;
    private int[] _order = [];
    private ParallelBatch<TNetwork>? _parallel;

    /// <summary>Creates a trainer that updates <paramref name="network"/> with a mini-batch optimizer such as <see cref="Adam"/>.</summary>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="optimizer">The optimizer; it keeps state for this network, so give each trainer its own.</param>
    /// <param name="seed">The seed of the shuffling order and of validation splits.</param>
    public Trainer(TNetwork network, IOptimizer optimizer, int seed = 0)
        : this(network, seed)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
    }

    /// <summary>Creates a trainer that updates <paramref name="network"/> with a full-batch optimizer (<see cref="Lbfgs"/>, <see cref="Newton"/>).</summary>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="optimizer">The optimizer; one iteration per epoch over the whole training set.</param>
    /// <param name="seed">The seed of validation splits.</param>
    public Trainer(TNetwork network, IFullBatchOptimizer optimizer, int seed = 0)
        : this(network, seed)
    {
        FullBatchOptimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
    }

    private Trainer(TNetwork network, int seed)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Seed = seed;
        _shuffleSeed = seed;
        _regularization = new Regularization(TNetwork.ParameterLayout);
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network { get; }

    /// <summary>
    /// A run whose epoch loss grows past this many times its first loss (the first mini-batch's, at the starting
    /// parameters; with a full-batch optimizer, the first iteration's) has diverged: it stops with
    /// <see cref="TrainingDivergedException"/> and the network gets back the parameters of the last epoch below the line.
    /// Adaptive optimizers (Adam, RMSProp, AdaGrad) with a far too large learning rate climb to huge but finite losses
    /// without ever producing NaN, which this catches. Default 10,000; 0 or <see cref="float.PositiveInfinity"/> turns the
    /// check off. Not applied when the first loss is below 1e-12.
    /// </summary>
    public float DivergenceFactor
    {
        get => _divergenceFactor;
        set => _divergenceFactor = value >= 0 && !float.IsNaN(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "DivergenceFactor must be positive (such as 10,000), or 0 to turn the check off.");
    }

    private float _divergenceFactor = 1e4f;

    /// <summary>The run's first mini-batch loss (at its starting parameters), the reference of the divergence check.</summary>
    private float _firstLoss;

    /// <summary>The mini-batch optimizer, or null when the trainer uses a <see cref="FullBatchOptimizer"/>.</summary>
    public IOptimizer? Optimizer { get; }

    /// <summary>The full-batch optimizer, or null when the trainer uses a mini-batch <see cref="Optimizer"/>.</summary>
    public IFullBatchOptimizer? FullBatchOptimizer { get; }

    /// <summary>The seed of the shuffling order and of validation splits.</summary>
    public int Seed { get; }

    /// <summary>The optimizer's learning rate.</summary>
    public float LearningRate
    {
        get => Optimizer?.LearningRate ?? FullBatchOptimizer!.LearningRate;
        set
        {
            if (Optimizer is not null) Optimizer.LearningRate = value;
            else FullBatchOptimizer!.LearningRate = value;
        }
    }

    /// <summary>The number of samples per gradient step (the last batch of an epoch may be smaller). 32 by default, as in Keras.</summary>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The batch size must be at least 1, such as 32.");
    }

    /// <summary>
    /// λ₁ ≥ 0: adds λ₁·Σ|w| over all weights (not biases) to the loss, i.e. λ₁·sign(w) to their gradients. Keras'
    /// <c>regularizers.L1(l1=λ₁)</c>. Default 0.
    /// </summary>
    public float L1
    {
        get => _regularization.L1;
        set => _regularization.L1 = OptimizerState.NonNegative(value, nameof(L1));
    }

    /// <summary>
    /// λ₂ ≥ 0: adds λ₂·Σw² over all weights (not biases) to the loss, i.e. 2·λ₂·w to their gradients. Keras'
    /// <c>regularizers.L2(l2=λ₂)</c>; PyTorch's <c>weight_decay=λ</c> corresponds to λ₂ = λ/2 but applies to biases too.
    /// Default 0.
    /// </summary>
    public float L2
    {
        get => _regularization.L2;
        set => _regularization.L2 = OptimizerState.NonNegative(value, nameof(L2));
    }

    /// <summary>
    /// When set, each step's gradient g (after regularization) is rescaled to norm c whenever ‖g‖₂ &gt; c — clipping by
    /// global norm, as PyTorch's <c>clip_grad_norm_</c>. Null (the default) turns clipping off.
    /// </summary>
    public float? ClipGradientNorm
    {
        get => _clipNorm;
        set => _clipNorm = value is null ? null : OptimizerState.Positive(value.Value, nameof(ClipGradientNorm), "1.0");
    }

    /// <summary>
    /// How many threads share each mini-batch (data parallelism: every thread runs the batch pass on its own part of the
    /// batch into its own gradient buffer, and the buffers are added in a fixed order). 0, the default, decides per
    /// <c>Fit</c>: every core (at most 8) when each thread's part of a batch is worth handing over (see
    /// <see cref="ParallelWorkPerThread"/>), one thread otherwise and always for networks with batch normalization, whose
    /// statistics need the whole batch. 1 trains on the calling thread only; n ≥ 2 splits every batch into n parts (a
    /// part is empty when a batch has fewer samples than threads). Mini-batch optimizers only; full-batch ones run on the
    /// calling thread.
    /// </summary>
    /// <remarks>
    /// A seed reproduces a run bit for bit for a given number of threads. Runs with different numbers add the gradients in
    /// a different order, and split into parts draw each part's dropout masks from a stream of its own, so they differ in
    /// the last bits (and in the masks); set <see cref="Threads"/> explicitly to reproduce a run on a machine with another
    /// number of cores.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative number.</exception>
    public int Threads
    {
        get => _threads;
        set => _threads = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be 0 (automatic), 1 (the calling thread only) or the number of threads to split each batch across.");
    }

    /// <summary>
    /// The least arithmetic (floating-point operations of the batch pass) a thread's part of a batch must hold for the
    /// automatic choice of <see cref="Threads"/> to split batches: 2 MFLOP (handing a part over and waiting for it costs
    /// tens of microseconds), and also 400 per parameter (each extra thread clears, fills and hands back a gradient
    /// buffer of <c>ParameterCount</c> floats). Measured on a 2-vCPU AVX-512 machine (docs/performance.md): a 784-128-10
    /// network gained 1.5× from 2 threads at batch 256, lost at batch 32, and was noisy at 128 (1.2× in one run, 0.6× in
    /// another), so the automatic choice splits its batches from about 200 samples on (199 with two threads).
    /// </summary>
    public const long ParallelWorkPerThread = 2_000_000;

    /// <summary>The part of <see cref="ParallelWorkPerThread"/> that scales with the parameter count: operations per parameter.</summary>
    public const int ParallelWorkPerParameter = 400;

    /// <summary>Floating-point operations of one sample's training pass, as the generator planned them (forward + backward of every operation).</summary>
    private static readonly long FlopsPerSample = TNetwork.Operations.Sum(o => o.ForwardFlops + o.BackwardFlops);

    /// <summary>The number of threads a run with batches of <paramref name="batchSize"/> splits each batch across.</summary>
    internal int ThreadsFor(int batchSize)
    {
        if (_threads == 1 || batchSize < 2) return 1;
        if (HasBatchNorm)
            return _threads == 0 ? 1 : throw new InvalidOperationException(
                $"{NetworkName} has batch normalization, whose batch mean and variance need the whole batch on one thread; set Threads to 0 (automatic) or 1.");
        if (_threads > 1) return Math.Min(_threads, batchSize);
        int threads = Math.Min(Math.Min(Environment.ProcessorCount, 8), batchSize);
        long least = Math.Max(ParallelWorkPerThread, (long)ParallelWorkPerParameter * TNetwork.ParameterCount);
        while (threads > 1 && FlopsPerSample * batchSize / threads < least) threads--;
        return threads;
    }

    /// <summary>
    /// Evaluates the whole training set after every epoch (<see cref="EpochResult.Train"/>: accuracy, MAE, MSE at the
    /// epoch's final parameters). Costs two forward passes over the training set per epoch; off by default.
    /// </summary>
    public bool EvaluateTrainingSet { get; set; }

    /// <summary>Callbacks run in order at the start and end of training, of each epoch and after each batch.</summary>
    public IList<Callback> Callbacks { get; } = new List<Callback>();

    /// <summary>Trains for up to <paramref name="epochs"/> passes over <paramref name="train"/>.</summary>
    /// <param name="train">The training samples; their widths must equal the network's input and output sizes. Raw
    /// features when the network has a <see cref="INetwork.Standardizer"/> (it standardises them).</param>
    /// <param name="epochs">The number of passes over the data.</param>
    /// <param name="validation">Evaluated after each epoch (never trained on); null for none.</param>
    /// <param name="progress">Receives a report after each batch and each epoch, e.g. a <see cref="ConsoleProgress"/>.</param>
    /// <param name="initialEpoch">Epochs already done (Keras' <c>initial_epoch</c>): training runs epochs
    /// <paramref name="initialEpoch"/> + 1 … <paramref name="epochs"/>. Each epoch's shuffle depends only on the seed and the
    /// epoch number, so a run resumed from a checkpoint with its optimizer state takes the same steps as an uninterrupted
    /// one — given the same callbacks; those that count across epochs (<see cref="EarlyStopping"/>,
    /// <see cref="ReduceLearningRateOnPlateau"/>) start counting afresh, while schedules continue.</param>
    /// <param name="cancellationToken">Stops training between mini-batches; the history so far is returned.</param>
    /// <returns>The per-epoch record.</returns>
    /// <exception cref="ArgumentException">A data set's widths do not match the network.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradient became NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The network has a step activation (train it with <see cref="PerceptronTrainer{TNetwork}"/>).</exception>
    public TrainingHistory Fit(Dataset train, int epochs, Dataset? validation = null, IProgress<TrainingProgress>? progress = null, int initialEpoch = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "The number of epochs cannot be negative.");
        if (initialEpoch < 0 || initialEpoch > epochs)
            throw new ArgumentOutOfRangeException(nameof(initialEpoch), initialEpoch, $"The initial epoch must be between 0 and the total number of epochs ({epochs}).");
        train.EnsureFits(NetworkName, TNetwork.InputSize, TNetwork.OutputSize, "training");
        validation?.EnsureFits(NetworkName, TNetwork.InputSize, TNetwork.OutputSize, "validation");
        if (StepLayer is { } step)
            throw new InvalidOperationException(
                $"{NetworkName} has a step activation (layer {step}), whose derivative is 0 wherever it exists, so gradient descent cannot change the weights before it. " +
                $"Train a single step layer with PerceptronTrainer<{NetworkName}> (the perceptron rule), or use Activation.Sigmoid for gradient training.");
        // The network's first step: rows are standardised as they are read (gathered into a batch, evaluated), so no copy
        // of the data is made. The standardizer is the one the network has when Fit starts.
        _runStandardizer = Network.Standardizer;
        if (FullBatchOptimizer is not null)
            return Run(train, epochs, initialEpoch, validation, progress, cancellationToken, fullBatch: true);
        int threads = ThreadsFor(_batchSize);
        _parallel = threads > 1 ? new ParallelBatch<TNetwork>(threads, NetworkName) : null;
        try
        {
            return Run(train, epochs, initialEpoch, validation, progress, cancellationToken, fullBatch: false);
        }
        finally
        {
            _parallel?.Dispose();
            _parallel = null;
        }
    }

    /// <summary>
    /// Trains on <paramref name="train"/> minus a validation split: a fraction of its samples, chosen at random from
    /// <see cref="Seed"/> (not the last rows, as Keras does, so sorted files are safe), is held out and evaluated after each epoch.
    /// </summary>
    /// <param name="train">All labelled samples.</param>
    /// <param name="epochs">The number of passes over the training part.</param>
    /// <param name="validationSplit">The fraction held out, in (0, 1), such as 0.2.</param>
    /// <param name="progress">Receives a report after each batch and each epoch.</param>
    /// <param name="initialEpoch">Epochs already done; see the other overload.</param>
    /// <param name="cancellationToken">Stops training between mini-batches.</param>
    public TrainingHistory Fit(Dataset train, int epochs, double validationSplit, IProgress<TrainingProgress>? progress = null, int initialEpoch = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        var (rest, held) = train.Split(validationSplit, Seed);
        return Fit(rest, epochs, held, progress, initialEpoch, cancellationToken);
    }

    /// <summary>
    /// Random restarts against poor local minima: trains <paramref name="restarts"/> times, each from a fresh initialisation
    /// (seed <see cref="Seed"/> + k for restart k, which also seeds that run's shuffling) with the optimizer reset, and keeps
    /// the parameters whose final validation loss is lowest. A run that diverges scores NaN and never wins unless all do.
    /// </summary>
    /// <param name="train">The training samples.</param>
    /// <param name="epochs">Epochs per restart.</param>
    /// <param name="restarts">K ≥ 1, the number of initialisations tried.</param>
    /// <param name="validation">Decides which run is kept.</param>
    /// <param name="progress">Receives each run's reports.</param>
    /// <param name="cancellationToken">Stops the current run and skips the rest.</param>
    public RestartResult FitWithRestarts(Dataset train, int epochs, int restarts, Dataset validation, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validation);
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "At least one run is needed.");
        float initialRate = LearningRate;
        var histories = new List<TrainingHistory>();
        var scores = new List<float>();
        var best = new float[TNetwork.ParameterCount];
        int bestRun = -1;
        try
        {
            for (int k = 0; k < restarts && !cancellationToken.IsCancellationRequested; k++)
            {
                Network.Initialize(unchecked(Seed + k));
                Optimizer?.Reset();
                FullBatchOptimizer?.Reset();
                LearningRate = initialRate;
                _shuffleSeed = unchecked(Seed + k);
                float score;
                try
                {
                    histories.Add(Fit(train, epochs, validation, progress, cancellationToken: cancellationToken));
                    score = Evaluate(validation).Loss;
                }
                catch (TrainingDivergedException)
                {
                    // One bad initialisation is what restarts are for: score it NaN and go on.
                    histories.Add(new TrainingHistory());
                    score = float.NaN;
                }
                scores.Add(score);
                if (bestRun < 0 || score < scores[bestRun] || (float.IsNaN(scores[bestRun]) && !float.IsNaN(score)))
                {
                    bestRun = k;
                    Network.Parameters.CopyTo(best);
                }
            }
        }
        finally
        {
            _shuffleSeed = Seed; // later Fit calls shuffle from Seed, as documented
        }
        if (bestRun >= 0)
            best.AsSpan().CopyTo(Network.Parameters);
        return new RestartResult(bestRun, unchecked(Seed + Math.Max(bestRun, 0)), scores, histories);
    }

    /// <summary>
    /// The loss and metrics of the network on <paramref name="data"/> (raw features when the network has a
    /// <see cref="INetwork.Standardizer"/>; inference mode; no parameter changes): for a classifier with its
    /// <see cref="EvaluationResult.Report"/> (precision, recall, F1, confusion matrix), for regression with R².
    /// </summary>
    public EvaluationResult Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureFits(NetworkName, TNetwork.InputSize, TNetwork.OutputSize, "evaluation");
        return Measure(data, report: true, Network.Standardizer);
    }

    /// <summary>Evaluates raw data through <paramref name="standardizer"/>, without the per-class report unless asked.</summary>
    private EvaluationResult Measure(Dataset data, bool report, Standardizer? standardizer) =>
        Metrics.Evaluate<TNetwork>(Network.Parameters, data, _output, _metricSums, TNetwork.LossFunction, report, Network.ClassNames, standardizer, _row);

    private TrainingHistory Run(Dataset train, int epochs, int initialEpoch, Dataset? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool fullBatch)
    {
        var history = new TrainingHistory(Math.Min(epochs - initialEpoch, 1024));
        _haveLastGood = false;
        // The batch size of this run (a callback changing BatchSize takes effect in the next Fit).
        int batchSize = _batchSize;
        if (!fullBatch && _batchInputs.Length < (batchSize + 1) * TNetwork.InputSize)
        {
            _batchInputs = new float[(batchSize + 1) * TNetwork.InputSize];
            _batchTargets = new float[(batchSize + 1) * TNetwork.OutputSize];
        }
        if (!fullBatch && HasBatchNorm && (batchSize < 2 || train.Count < 2))
            throw new ArgumentException(
                $"{NetworkName} has batch normalization, which needs at least 2 samples per mini-batch; set BatchSize to 2 or more (it is {batchSize}) and train on at least 2 samples.");
        // With batch normalization a single leftover sample joins the last batch instead of forming its own.
        int batches = fullBatch ? 1
            : HasBatchNorm && train.Count % batchSize == 1 ? train.Count / batchSize
            : (train.Count + batchSize - 1) / batchSize;
        Network.Parameters[Trainable..].CopyTo(_stateAtStart);
        Network.Parameters.CopyTo(_epochGood);
        _firstLoss = float.NaN;
        // Notes from callbacks reach the progress after the epoch's own report (or after the run's end).
        var pendingNotes = new List<string>();
        var context = new TrainingContext(Network, TNetwork.LossFunction, history, batches, validation is not null, () => LearningRate, rate => LearningRate = rate,
            (Optimizer as ICheckpointableOptimizer)?.InitialLearningRate,
            save: (path, encoding) => Checkpoint.Save(Network, path, optimizer: null, encoding),
            note: pendingNotes.Add);
        // Kept between calls: a Fit per epoch (as some loops do) must not allocate the order array every time.
        var order = _order.Length == train.Count ? _order : _order = new int[train.Count];
        Objective? objective = fullBatch ? (p, g) => FullBatchObjective(train, p, g) : null;
        var clock = Stopwatch.StartNew();
        long totalBatches = (long)batches * (epochs - initialEpoch);

        for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnTrainBegin(context);
        context.Epoch = initialEpoch;
        for (int epoch = initialEpoch + 1; epoch <= epochs && !context.StopTraining; epoch++)
        {
            context.Epoch = epoch;
            for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnEpochBegin(context, epoch);
            float rate = LearningRate;
            var epochStart = clock.Elapsed;
            float epochLoss = fullBatch
                ? FullBatchEpoch(epoch, objective!, context)
                : MiniBatchEpoch(train, order, batchSize, epoch, epochs, batches, (long)batches * (epoch - 1 - initialEpoch), totalBatches, context, progress, clock, cancellationToken);
            if (float.IsNaN(epochLoss) && cancellationToken.IsCancellationRequested)
            {
                history.Cancelled = true;
                break;
            }
            if (float.IsNaN(_firstLoss))
                _firstLoss = epochLoss; // full batch: the first iteration's loss
            if (_divergenceFactor > 0 && _firstLoss >= 1e-12f && epochLoss > _divergenceFactor * _firstLoss)
            {
                _epochGood.AsSpan().CopyTo(Network.Parameters);
                throw new TrainingDivergedException(epoch, batches, epochLoss,
                    $"mean loss of the epoch (more than DivergenceFactor = {_divergenceFactor:G} times the run's first loss, {_firstLoss:G4})");
            }
            Network.Parameters.CopyTo(_epochGood);
            EvaluationResult? trainResult = EvaluateTrainingSet ? Measure(train, report: false, _runStandardizer) : null;
            EvaluationResult? validationResult = validation is null ? null : Measure(validation, report: false, _runStandardizer);
            var result = new EpochResult(epoch, epochLoss, trainResult, validationResult, rate, clock.Elapsed - epochStart);
            history.Add(result);
            for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnEpochEnd(context, result);
            if (context.StopTraining) history.StoppedEpoch = epoch;
            progress?.Report(new TrainingProgress(epoch, epochs, batches, batches, epochLoss, clock.Elapsed,
                Remaining(clock.Elapsed, (long)batches * (epoch - initialEpoch), context.StopTraining ? (long)batches * (epoch - initialEpoch) : totalBatches), result));
            ReportNotes(pendingNotes, progress, epoch, epochs, batches, epochLoss, clock.Elapsed);
            if (cancellationToken.IsCancellationRequested)
            {
                history.Cancelled = true;
                break;
            }
        }
        // The last step's parameters have not been through a loss evaluation yet.
        if (!GradientMath.AllFinite(Network.Parameters))
        {
            _lastGood.AsSpan().CopyTo(Network.Parameters);
            throw new TrainingDivergedException(context.Epoch, batches, float.NaN, "parameters after the last step");
        }
        for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnTrainEnd(context);
        ReportNotes(pendingNotes, progress, context.Epoch, epochs, batches, history.FinalLoss, clock.Elapsed);
        return history;
    }

    private static void ReportNotes(List<string> notes, IProgress<TrainingProgress>? progress, int epoch, int epochs, int batches, float loss, TimeSpan elapsed)
    {
        if (notes.Count == 0) return;
        foreach (string note in notes)
            progress?.Report(new TrainingProgress(epoch, epochs, batches, batches, loss, elapsed, TimeSpan.Zero, null, note));
        notes.Clear();
    }

    /// <summary>One epoch of mini-batches; returns the mean loss, or NaN if cancelled before the epoch ended.</summary>
    private float MiniBatchEpoch(Dataset train, int[] order, int batchSize, int epoch, int epochs, int batches, long doneBefore, long totalBatches, TrainingContext context,
        IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        Span<float> parameters = Network.Parameters;
        Span<float> gradients = _gradients;
        IOptimizer optimizer = Optimizer!;
        // The epoch's order depends only on (seed, epoch): identity, then a Fisher–Yates shuffle seeded from both.
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new SeededRandom(((long)_shuffleSeed << 32) ^ (uint)epoch).Shuffle(order.AsSpan());
        // Dropout masks: another stream from (seed, epoch), so a resumed run draws the same masks.
        var dropout = new SeededRandom(~(((long)_shuffleSeed << 32) ^ (uint)epoch));
        double epochLoss = 0;
        int batch = 0;
        for (int start = 0, count; start < order.Length; start += count)
        {
            if (cancellationToken.IsCancellationRequested)
                return float.NaN;
            count = Math.Min(batchSize, order.Length - start);
            // Batch normalization cannot normalize a batch of one: a single leftover sample joins the batch before it.
            if (HasBatchNorm && order.Length - (start + count) == 1) count++;
            batch++;
            gradients.Clear();
            float batchLoss = 0f;
            // Training mode over the mini-batch: dropout drops values and batch normalization uses the batch's statistics
            // (the loss reported is the loss in training mode, as in Keras). The rows are gathered into one buffer first.
            for (int k = 0; k < count; k++)
            {
                if (_runStandardizer is { } standardizer)
                    standardizer.Apply(train.Input(order[start + k]), _batchInputs.AsSpan(k * TNetwork.InputSize, TNetwork.InputSize));
                else
                    train.Input(order[start + k]).CopyTo(_batchInputs.AsSpan(k * TNetwork.InputSize));
                train.Target(order[start + k]).CopyTo(_batchTargets.AsSpan(k * TNetwork.OutputSize));
            }
            batchLoss = _parallel is { } parallel
                ? parallel.Run(parameters, _batchInputs, _batchTargets, count, gradients, ((ulong)dropout.NextUInt32() << 32) | dropout.NextUInt32())
                : TNetwork.TrainingBatch(parameters, _batchInputs, _batchTargets, count, gradients, ref dropout);
            if (!float.IsFinite(batchLoss))
            {
                // θ came from the previous step (possibly in the previous epoch), whose batch loss was finite: undo it.
                UndoToLastGood(parameters);
                throw new TrainingDivergedException(epoch, batch, batchLoss / count, "loss");
            }
            // Mean gradient of the mini-batch, (1/B)·Σ ∂Lₖ/∂θ, then the penalties' gradients, then clipping.
            GradientMath.Scale(gradients, 1f / count);
            _regularization.AddGradient(parameters, gradients);
            float norm = GradientMath.Norm(gradients);
            if (!float.IsFinite(norm))
            {
                UndoToLastGood(parameters);
                throw new TrainingDivergedException(epoch, batch, norm, "gradient norm");
            }
            if (_clipNorm is { } limit && norm > limit)
                GradientMath.Scale(gradients, limit / norm);
            parameters.CopyTo(_lastGood);
            optimizer.Step(parameters[..Trainable], gradients[..Trainable]);
            _haveLastGood = true;
            epochLoss += batchLoss;
            if (float.IsNaN(_firstLoss)) _firstLoss = batchLoss / count;
            float meanLoss = batchLoss / count;
            for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnBatchEnd(context, batch, meanLoss);
            if (progress is not null)
            {
                long done = doneBefore + batch;
                progress.Report(new TrainingProgress(epoch, epochs, batch, batches, (float)(epochLoss / (start + count)), clock.Elapsed,
                    Remaining(clock.Elapsed, done, totalBatches), null));
            }
        }
        return (float)(epochLoss / order.Length);
    }

    /// <summary>One full-batch optimizer iteration (the epoch's only "batch"); returns the data loss at the new parameters.</summary>
    private float FullBatchEpoch(int epoch, Objective objective, TrainingContext context)
    {
        Span<float> parameters = Network.Parameters;
        parameters.CopyTo(_lastGood);
        _haveLastGood = true;
        float loss = FullBatchOptimizer!.Step(parameters[..Trainable], objective);
        if (!float.IsFinite(loss) || !GradientMath.AllFinite(parameters))
        {
            _lastGood.AsSpan().CopyTo(parameters);
            throw new TrainingDivergedException(epoch, 1, loss, "loss or gradient");
        }
        float dataLoss = loss - _regularization.Penalty(parameters);
        for (int c = 0; c < Callbacks.Count; c++) Callbacks[c].OnBatchEnd(context, 1, dataLoss);
        return dataLoss;
    }

    /// <summary>
    /// The full-batch objective over the trainable parameters: mean loss over the training set plus penalties, and its
    /// gradient. A network with state is evaluated with the state as it is (the optimizer sees only the trainable prefix).
    /// </summary>
    private float FullBatchObjective(Dataset train, ReadOnlySpan<float> trainable, Span<float> trainableGradient)
    {
        ReadOnlySpan<float> parameters = trainable;
        Span<float> gradient = trainableGradient;
        if (Trainable < TNetwork.ParameterCount)
        {
            if (_objectiveParameters.Length == 0)
            {
                _objectiveParameters = new float[TNetwork.ParameterCount];
                _objectiveGradient = new float[TNetwork.ParameterCount];
            }
            trainable.CopyTo(_objectiveParameters);
            Network.Parameters[Trainable..].CopyTo(_objectiveParameters.AsSpan(Trainable));
            parameters = _objectiveParameters;
            gradient = _objectiveGradient;
        }
        gradient.Clear();
        double sum = 0;
        for (int i = 0; i < train.Count; i++)
        {
            ReadOnlySpan<float> row = train.Input(i);
            if (_runStandardizer is { } standardizer)
            {
                standardizer.Apply(row, _row);
                row = _row;
            }
            sum += TNetwork.Backward(parameters, row, train.Target(i), gradient);
        }
        GradientMath.Scale(gradient, 1f / train.Count);
        _regularization.AddGradient(parameters, gradient);
        if (gradient.Length != trainableGradient.Length)
            gradient[..Trainable].CopyTo(trainableGradient);
        // A non-finite gradient makes the point unusable for the optimizer: report it as a NaN loss, which line searches
        // reject and the trainer turns into TrainingDivergedException.
        if (!float.IsFinite(GradientMath.Norm(trainableGradient)))
            return float.NaN;
        return (float)(sum / train.Count) + _regularization.Penalty(parameters);
    }

    /// <summary>True when the network batch-normalizes some layer (its running statistics are non-trainable blocks).</summary>
    private static readonly bool HasBatchNorm = TNetwork.Operations.Any(o => o.Kind == OperationKind.BatchNorm);

    /// <summary>The first layer with <see cref="Activation.Step"/>, or null: gradient training cannot move it.</summary>
    private static readonly int? StepLayer = TNetwork.Operations.FirstOrDefault(o => o.Kind == OperationKind.Activation && o.Activation == Activation.Step)?.Layer;

    /// <summary>
    /// Back to the last parameters whose loss was finite: those before the previous step, or — before any step of this
    /// run — the running statistics as the run found them (the failing batch had already updated them).
    /// </summary>
    private void UndoToLastGood(Span<float> parameters)
    {
        if (_haveLastGood) _lastGood.AsSpan().CopyTo(parameters);
        else _stateAtStart.CopyTo(parameters[Trainable..]);
    }

    private static TimeSpan Remaining(TimeSpan elapsed, long done, long total) =>
        done <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(elapsed.Ticks / (double)done * Math.Max(0, total - done)));
}

/// <summary>The outcome of <see cref="Trainer{TNetwork}.FitWithRestarts"/>.</summary>
/// <param name="BestRun">The index (from 0) of the run kept, or −1 if none ran.</param>
/// <param name="BestSeed">The initialisation seed of the run kept.</param>
/// <param name="ValidationLosses">Each run's final validation loss.</param>
/// <param name="Histories">Each run's history.</param>
public sealed record RestartResult(int BestRun, int BestSeed, IReadOnlyList<float> ValidationLosses, IReadOnlyList<TrainingHistory> Histories);
