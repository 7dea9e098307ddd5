namespace NetGen.Benchmarks;

/// <summary>One network trained both ways from the same parameters and data: NetGen as the trainer steps, and the baseline.</summary>
internal sealed class Trained<T> where T : class, INetwork<T>
{
    private readonly T _net = T.Create(1);
    private readonly IOptimizer _optimizer;
    private readonly float[] _inputs, _targets, _gradients = new float[T.ParameterCount], _output = new float[T.OutputSize];
    private readonly int _batch, _samples;
    private readonly DynamicMlp _baseline;
    private readonly float[][] _rowsIn, _rowsOut;
    private readonly float[] _baselineGradients;
    private readonly ScalarOptimizer _baselineOptimizer;
    private int _index;

    public Trained(int inputs, Loss loss, (int, Activation)[] layers, int batch, int samples, bool adam)
    {
        _batch = batch;
        _samples = samples;
        _optimizer = adam ? new Adam(1e-4f) : new Sgd(1e-3f);
        _rowsIn = BenchmarkData.Uniform(samples, T.InputSize, seed: 3);
        _rowsOut = loss == Loss.CrossEntropy ? BenchmarkData.OneHot(samples, T.OutputSize, seed: 4) : BenchmarkData.Uniform(samples, T.OutputSize, seed: 4);
        _inputs = _rowsIn.SelectMany(r => r).ToArray();
        _targets = _rowsOut.SelectMany(r => r).ToArray();
        _baseline = new DynamicMlp(inputs, loss, layers);
        _baseline.LoadParameters(_net.Parameters);
        BenchmarkData.AssertSameMath(typeof(T).Name, _net, _baseline, _rowsIn.Take(8).ToArray(), _rowsOut.Take(8).ToArray());
        _baselineGradients = new float[_baseline.ParameterCount];
        _baselineOptimizer = new ScalarOptimizer(_net.Parameters.ToArray(), adam, adam ? 1e-4f : 1e-3f);
    }

    /// <summary>One NetGen step on the batch starting at sample <paramref name="start"/>, as <c>Trainer.Fit</c> takes it.</summary>
    public float Step(int start, ParallelBatch<T>? parallel = null)
    {
        Array.Clear(_gradients);
        float loss;
        if (parallel is null)
        {
            var random = new SeededRandom(0);
            loss = T.TrainingBatch(_net.Parameters, _inputs.AsSpan(start * T.InputSize, _batch * T.InputSize),
                _targets.AsSpan(start * T.OutputSize, _batch * T.OutputSize), _batch, _gradients, ref random);
        }
        else
        {
            loss = parallel.Run(_net.Parameters, _inputs, _targets, _batch, _gradients, 0);
        }
        GradientMath.Scale(_gradients, 1f / _batch);
        _optimizer.Step(_net.Parameters, _gradients);
        return loss;
    }

    public float Epoch()
    {
        float loss = 0;
        for (int start = 0; start + _batch <= _samples; start += _batch) loss += Step(start);
        return loss;
    }

    public float Predict()
    {
        int i = _index = (_index + 1) % _samples;
        _net.Predict(_rowsIn[i], _output);
        return _output[0];
    }

    public float BaselinePredict()
    {
        int i = _index = (_index + 1) % _samples;
        _baseline.Predict(_rowsIn[i], _output);
        return _output[0];
    }

    /// <summary>One baseline step: summed per-sample gradients, averaged, then scalar Adam or SGD on a flat array.</summary>
    public float BaselineStep(int start)
    {
        Array.Clear(_baselineGradients);
        float loss = 0;
        for (int b = start; b < start + _batch; b++)
            loss += _baseline.Backward(_rowsIn[b], _rowsOut[b], _baselineGradients);
        _baselineOptimizer.Step(_baseline, _baselineGradients, _batch);
        return loss;
    }

    public float BaselineEpoch()
    {
        float loss = 0;
        for (int start = 0; start + _batch <= _samples; start += _batch) loss += BaselineStep(start);
        return loss;
    }
}

/// <summary>
/// One Fashion-MNIST epoch of 784-128-10 with Adam(1e-3) at batch 32: NetGen through <c>Trainer.Fit</c> on one thread,
/// and the baseline over the same rows in the same order of batches. The real training images when
/// <c>apt-get install -y dataset-fashion-mnist</c> put them in /usr/share/datasets/fashion-mnist, uniform noise of the same
/// shape otherwise (docs/performance.md's table used the real images).
/// </summary>
internal sealed class Fashion
{
    private const string Directory = "/usr/share/datasets/fashion-mnist";
    private readonly Trainer<BenchMnistNet> _trainer;
    private readonly Dataset _data;
    private readonly DynamicMlp _baseline;
    private readonly float[][] _rowsIn, _rowsOut;
    private readonly float[] _gradients;
    private readonly ScalarOptimizer _optimizer;

    public Fashion(int samples)
    {
        string images = Path.Combine(Directory, "train-images-idx3-ubyte.gz"), labels = Path.Combine(Directory, "train-labels-idx1-ubyte.gz");
        bool real = File.Exists(images) && File.Exists(labels);
        _data = real
            ? IdxReader.LoadLabelled(images, labels)
            : Dataset.FromRows(BenchmarkData.Uniform(samples, 784, seed: 60), BenchmarkData.OneHot(samples, 10, seed: 61));
        Console.WriteLine(real ? $"// Fashion-MNIST: {_data.Count} real training images from {Directory}" : $"// Fashion-MNIST not installed: {samples} noise images instead");
        var net = BenchMnistNet.Create(seed: 1);
        _trainer = new Trainer<BenchMnistNet>(net, new Adam(1e-3f), seed: 1) { BatchSize = 32, Threads = 1 };
        _rowsIn = Enumerable.Range(0, _data.Count).Select(i => _data.Input(i).ToArray()).ToArray();
        _rowsOut = Enumerable.Range(0, _data.Count).Select(i => _data.Target(i).ToArray()).ToArray();
        _baseline = new DynamicMlp(784, Loss.CrossEntropy, (128, Activation.ReLU), (10, Activation.Softmax));
        _baseline.LoadParameters(net.Parameters);
        _gradients = new float[BenchMnistNet.ParameterCount];
        _optimizer = new ScalarOptimizer(net.Parameters.ToArray(), adam: true, 1e-3f);
    }

    public float Epoch() => _trainer.Fit(_data, 1).Epochs[0].Loss;

    public float BaselineEpoch()
    {
        float loss = 0;
        for (int start = 0; start < _rowsIn.Length; start += 32)
        {
            int count = Math.Min(32, _rowsIn.Length - start);
            Array.Clear(_gradients);
            for (int b = start; b < start + count; b++)
                loss += _baseline.Backward(_rowsIn[b], _rowsOut[b], _gradients);
            _optimizer.Step(_baseline, _gradients, count);
        }
        return loss / _rowsIn.Length;
    }
}

/// <summary>
/// The baseline's optimizer: plain scalar loops over a flat parameter array (Adam with PyTorch's defaults, or SGD), then
/// the parameters copied back into the <see cref="DynamicMlp"/>.
/// </summary>
internal sealed class ScalarOptimizer(float[] theta, bool adam, float learningRate)
{
    private readonly float[] _m = new float[theta.Length], _v = new float[theta.Length];
    private long _t;

    /// <summary>One step on the mean of <paramref name="gradients"/> (summed over <paramref name="batch"/> samples).</summary>
    public void Step(DynamicMlp? network, float[] gradients, int batch)
    {
        _t++;
        float correction1 = 1 - MathF.Pow(0.9f, _t), correction2 = 1 - MathF.Pow(0.999f, _t);
        for (int i = 0; i < theta.Length; i++)
        {
            float g = gradients[i] / batch;
            if (adam)
            {
                _m[i] = 0.9f * _m[i] + 0.1f * g;
                _v[i] = 0.999f * _v[i] + 0.001f * g * g;
                theta[i] -= learningRate * (_m[i] / correction1) / (MathF.Sqrt(_v[i] / correction2) + 1e-8f);
            }
            else
            {
                theta[i] -= learningRate * g;
            }
        }
        network?.LoadParameters(theta);
    }
}

/// <summary>
/// A recurrent network's training step against <see cref="DynamicRecurrent"/> on the same weights and data: NetGen's
/// clear → TrainingBatch → scale → Adam, and the baseline's per-sample Backward over the batch then scalar Adam. The
/// constructor checks that both compute the same gradient.
/// </summary>
internal sealed class TrainedRecurrent<T> where T : class, INetwork<T>
{
    private readonly T _net = T.Create(1);
    private readonly Adam _adam = new(learningRate: 1e-3f);
    private readonly float[] _gradients = new float[T.ParameterCount], _theta, _baselineGradients;
    private readonly float[] _inputs, _targets;
    private readonly DynamicRecurrent _baseline;
    private readonly ScalarOptimizer _baselineAdam;
    private readonly int _batch;
    private SeededRandom _random = new(1);

    public TrainedRecurrent(int steps, int units, bool lstm, int batch)
    {
        _batch = batch;
        var random = new Random(3);
        _inputs = Enumerable.Range(0, batch * steps).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _targets = Enumerable.Range(0, batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _baseline = new DynamicRecurrent(steps, 1, units, lstm);
        if (_baseline.ParameterCount != T.ParameterCount)
            throw new InvalidOperationException($"The baseline has {_baseline.ParameterCount} parameters, {typeof(T).Name} {T.ParameterCount}.");
        _theta = _net.Parameters.ToArray();
        _baselineGradients = new float[_theta.Length];
        _baselineAdam = new ScalarOptimizer(_theta, adam: true, learningRate: 1e-3f);
        // Same work: the same gradient on the first sample, within float rounding.
        var generated = new float[T.ParameterCount];
        T.Backward(_net.Parameters, _inputs.AsSpan(0, steps), _targets.AsSpan(0, 1), generated);
        _baseline.Backward(_theta, _inputs.AsSpan(0, steps), _targets[0], _baselineGradients);
        for (int k = 0; k < generated.Length; k++)
            if (MathF.Abs(generated[k] - _baselineGradients[k]) > 1e-4f + 1e-3f * MathF.Abs(generated[k]))
                throw new InvalidOperationException($"{typeof(T).Name}: ∂L/∂{T.ParameterName(k)} is {generated[k]} generated and {_baselineGradients[k]} in the baseline.");
        Array.Clear(_baselineGradients);
    }

    public float Step()
    {
        Span<float> gradients = _gradients;
        gradients.Clear();
        float loss = T.TrainingBatch(_net.Parameters, _inputs, _targets, _batch, gradients, ref _random);
        GradientMath.Scale(gradients, 1f / _batch);
        _adam.Step(_net.Parameters, gradients);
        return loss;
    }

    public float BaselineStep()
    {
        Array.Clear(_baselineGradients);
        float loss = 0f;
        int steps = _inputs.Length / _batch;
        for (int b = 0; b < _batch; b++)
            loss += _baseline.Backward(_theta, _inputs.AsSpan(b * steps, steps), _targets[b], _baselineGradients);
        _baselineAdam.Step(null, _baselineGradients, _batch);
        return loss;
    }
}

/// <summary>
/// The Fashion CNN's training step and inference, generated (<see cref="BenchCnn"/> through TrainingBatch and Adam, as
/// <c>Fit</c> runs them) and in the straightforward dynamic-size C# of <see cref="DynamicCnn"/> with scalar Adam, from the
/// same initial parameters; the constructor checks both compute the same gradient.
/// </summary>
internal sealed class TrainedCnn
{
    private readonly BenchCnn _net = new(1);
    private readonly Adam _adam = new(learningRate: 1e-3f);
    private readonly float[] _gradients = new float[BenchCnn.ParameterCount], _theta, _baselineGradients, _output = new float[10];
    private readonly float[] _inputs, _targets;
    private readonly DynamicCnn _baseline = new(1, 28, 28, 16, 5, 2, 32, 5, 128, 10);
    private readonly ScalarOptimizer _baselineAdam;
    private readonly int _batch;
    private SeededRandom _random = new(1);

    public TrainedCnn(int batch)
    {
        _batch = batch;
        var random = new Random(5);
        _inputs = Enumerable.Range(0, batch * 784).Select(_ => (float)random.NextDouble()).ToArray();
        _targets = new float[batch * 10];
        for (int b = 0; b < batch; b++) _targets[b * 10 + random.Next(10)] = 1f;
        if (_baseline.ParameterCount != BenchCnn.ParameterCount)
            throw new InvalidOperationException($"The baseline has {_baseline.ParameterCount} parameters, BenchCnn {BenchCnn.ParameterCount}.");
        _theta = _net.Parameters.ToArray();
        _baselineGradients = new float[_theta.Length];
        _baselineAdam = new ScalarOptimizer(_theta, adam: true, learningRate: 1e-3f);
        var generated = new float[BenchCnn.ParameterCount];
        BenchCnn.Backward(_net.Parameters, _inputs.AsSpan(0, 784), _targets.AsSpan(0, 10), generated);
        _baseline.Backward(_theta, _inputs.AsSpan(0, 784), _targets.AsSpan(0, 10), _baselineGradients);
        for (int k = 0; k < generated.Length; k++)
            if (MathF.Abs(generated[k] - _baselineGradients[k]) > 1e-4f + 1e-3f * MathF.Abs(generated[k]))
                throw new InvalidOperationException($"BenchCnn: ∂L/∂{BenchCnn.ParameterName(k)} is {generated[k]} generated and {_baselineGradients[k]} in the baseline.");
        Array.Clear(_baselineGradients);
    }

    public float Step()
    {
        Span<float> gradients = _gradients;
        gradients.Clear();
        float loss = BenchCnn.TrainingBatch(_net.Parameters, _inputs, _targets, _batch, gradients, ref _random);
        GradientMath.Scale(gradients, 1f / _batch);
        _adam.Step(_net.Parameters, gradients);
        return loss;
    }

    public float BaselineStep()
    {
        Array.Clear(_baselineGradients);
        float loss = 0f;
        for (int b = 0; b < _batch; b++)
            loss += _baseline.Backward(_theta, _inputs.AsSpan(b * 784, 784), _targets.AsSpan(b * 10, 10), _baselineGradients);
        _baselineAdam.Step(null, _baselineGradients, _batch);
        return loss;
    }

    public float Predict()
    {
        _net.Predict(_inputs.AsSpan(0, 784), _output);
        return _output[0];
    }

    public float PredictBaseline()
    {
        _baseline.Predict(_theta, _inputs.AsSpan(0, 784), _output);
        return _output[0];
    }
}
