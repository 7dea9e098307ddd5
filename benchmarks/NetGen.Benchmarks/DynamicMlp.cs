namespace NetGen.Benchmarks;

/// <summary>
/// The baseline the generated networks are compared with: a multi-layer perceptron whose sizes are only known at run
/// time, written the way a developer would write it by hand — flat row-major weight arrays, nested <c>for</c> loops,
/// activations through <see cref="MathF"/>. No SIMD and no unrolling, but nothing deliberately slow either: no LINQ,
/// no virtual calls per element, and no allocation per call (the activation and delta buffers are allocated once, in
/// the constructor). Because of those shared buffers an instance is <b>not</b> thread-safe.
/// </summary>
/// <remarks>
/// The parameter layout is NetGen's (<see cref="INetwork.Parameters"/>): per layer W row-major [units, inputs], then b;
/// the gradient array passed to <see cref="Backward"/> uses the same layout, so the two can be compared index by index.
/// Supported: <see cref="Activation.Identity"/>, <see cref="Activation.Sigmoid"/>, <see cref="Activation.Tanh"/>,
/// <see cref="Activation.ReLU"/> and <see cref="Activation.Softmax"/> (output layer only, with
/// <see cref="Loss.CrossEntropy"/>); losses <see cref="Loss.MeanSquaredError"/> and <see cref="Loss.CrossEntropy"/>.
/// </remarks>
public sealed class DynamicMlp
{
    private readonly int _inputs;
    private readonly Loss _loss;
    private readonly int[] _units;
    private readonly int[] _fanIn;
    private readonly Activation[] _activations;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly float[][] _weights; // [layer][i * fanIn + j] = Wᵢⱼ
    private readonly float[][] _biases;  // [layer][i]
    private readonly float[][] _z;       // pre-activations, per layer
    private readonly float[][] _a;       // activations, per layer
    private readonly float[][] _delta;   // ∂L/∂z, per layer

    /// <summary>Creates a network with all parameters zero; load values with <see cref="LoadParameters"/>.</summary>
    /// <param name="inputs">The number of inputs of one sample.</param>
    /// <param name="loss">The per-sample loss (<see cref="Loss.MeanSquaredError"/> or <see cref="Loss.CrossEntropy"/>).</param>
    /// <param name="layers">The dense layers, in order.</param>
    public DynamicMlp(int inputs, Loss loss, params (int Units, Activation Activation)[] layers)
    {
        if (inputs < 1)
            throw new ArgumentOutOfRangeException(nameof(inputs));
        if (layers.Length == 0)
            throw new ArgumentException("At least one layer is required.", nameof(layers));
        if (loss is not (Loss.MeanSquaredError or Loss.CrossEntropy))
            throw new NotSupportedException($"The baseline does not implement {loss}.");
        for (int l = 0; l < layers.Length; l++)
        {
            bool isOutput = l == layers.Length - 1;
            if (layers[l].Activation == Activation.LeakyReLU)
                throw new NotSupportedException("The baseline does not implement LeakyReLU.");
            if (layers[l].Activation == Activation.Softmax && !(isOutput && loss == Loss.CrossEntropy))
                throw new NotSupportedException("Softmax is supported on the output layer with cross-entropy only.");
        }
        if (loss == Loss.CrossEntropy && layers[^1].Activation != Activation.Softmax)
            throw new NotSupportedException("Cross-entropy requires a softmax output layer.");

        _inputs = inputs;
        _loss = loss;
        int count = layers.Length;
        _units = new int[count];
        _fanIn = new int[count];
        _activations = new Activation[count];
        _weightOffset = new int[count];
        _biasOffset = new int[count];
        _weights = new float[count][];
        _biases = new float[count][];
        _z = new float[count][];
        _a = new float[count][];
        _delta = new float[count][];

        int fanIn = inputs, offset = 0;
        for (int l = 0; l < count; l++)
        {
            int units = layers[l].Units;
            _units[l] = units;
            _fanIn[l] = fanIn;
            _activations[l] = layers[l].Activation;
            _weightOffset[l] = offset;
            _biasOffset[l] = offset + units * fanIn;
            offset = _biasOffset[l] + units;
            _weights[l] = new float[units * fanIn];
            _biases[l] = new float[units];
            _z[l] = new float[units];
            _a[l] = new float[units];
            _delta[l] = new float[units];
            fanIn = units;
        }
        ParameterCount = offset;
    }

    /// <summary>The number of inputs of one sample.</summary>
    public int InputSize => _inputs;

    /// <summary>The number of outputs of one sample.</summary>
    public int OutputSize => _units[^1];

    /// <summary>The number of parameters (and the length of a gradient array).</summary>
    public int ParameterCount { get; }

    /// <summary>Copies parameters laid out like <see cref="INetwork.Parameters"/> (per layer W row-major, then b).</summary>
    public void LoadParameters(ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != ParameterCount)
            throw new ArgumentException($"Expected {ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        for (int l = 0; l < _units.Length; l++)
        {
            parameters.Slice(_weightOffset[l], _weights[l].Length).CopyTo(_weights[l]);
            parameters.Slice(_biasOffset[l], _biases[l].Length).CopyTo(_biases[l]);
        }
    }

    /// <summary>Runs the network on one sample and copies the last layer's activations to <paramref name="output"/>.</summary>
    public void Predict(float[] input, float[] output)
    {
        Forward(input);
        float[] last = _a[^1];
        for (int i = 0; i < last.Length; i++)
            output[i] = last[i];
    }

    /// <summary>
    /// Forward pass, loss and backward pass for one sample: returns the loss and <b>adds</b> ∂L/∂θ into
    /// <paramref name="gradients"/> (same layout as the parameters).
    /// </summary>
    public float Backward(float[] input, float[] target, float[] gradients)
    {
        Forward(input);
        int last = _units.Length - 1;
        float loss = OutputLossAndDelta(target);

        for (int l = last; l >= 0; l--)
        {
            float[] delta = _delta[l];
            float[] previous = l == 0 ? input : _a[l - 1];
            float[] weights = _weights[l];
            int units = _units[l], fanIn = _fanIn[l];
            int wOffset = _weightOffset[l], bOffset = _biasOffset[l];

            // ∂L/∂bᵢ += δᵢ;  ∂L/∂Wᵢⱼ += δᵢ·xⱼ
            for (int i = 0; i < units; i++)
            {
                float d = delta[i];
                gradients[bOffset + i] += d;
                int row = wOffset + i * fanIn;
                for (int j = 0; j < fanIn; j++)
                    gradients[row + j] += d * previous[j];
            }

            if (l == 0)
                break;

            // ∂L/∂x = Wᵀ·δ, written straight into the previous layer's delta, then δ = ∂L/∂a ⊙ g'(z).
            float[] previousDelta = _delta[l - 1];
            for (int j = 0; j < fanIn; j++)
                previousDelta[j] = 0f;
            for (int i = 0; i < units; i++)
            {
                float d = delta[i];
                int row = i * fanIn;
                for (int j = 0; j < fanIn; j++)
                    previousDelta[j] += weights[row + j] * d;
            }
            MultiplyByDerivative(_activations[l - 1], _z[l - 1], _a[l - 1], previousDelta);
        }
        return loss;
    }

    /// <summary>The loss of one sample, without gradients.</summary>
    public float ComputeLoss(float[] input, float[] target)
    {
        Forward(input);
        return OutputLossAndDelta(target);
    }

    private void Forward(float[] input)
    {
        float[] x = input;
        for (int l = 0; l < _units.Length; l++)
        {
            float[] weights = _weights[l], biases = _biases[l], z = _z[l], a = _a[l];
            int units = _units[l], fanIn = _fanIn[l];
            for (int i = 0; i < units; i++)
            {
                float sum = biases[i];
                int row = i * fanIn;
                for (int j = 0; j < fanIn; j++)
                    sum += weights[row + j] * x[j];
                z[i] = sum;
            }
            Activate(_activations[l], z, a);
            x = a;
        }
    }

    private static void Activate(Activation activation, float[] z, float[] a)
    {
        switch (activation)
        {
            case Activation.Identity:
                for (int i = 0; i < z.Length; i++)
                    a[i] = z[i];
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < z.Length; i++)
                    a[i] = 1f / (1f + MathF.Exp(-z[i]));
                break;
            case Activation.Tanh:
                for (int i = 0; i < z.Length; i++)
                    a[i] = MathF.Tanh(z[i]);
                break;
            case Activation.ReLU:
                for (int i = 0; i < z.Length; i++)
                    a[i] = z[i] > 0f ? z[i] : 0f;
                break;
            case Activation.Softmax:
            {
                float max = z[0];
                for (int i = 1; i < z.Length; i++)
                    if (z[i] > max)
                        max = z[i];
                float sum = 0f;
                for (int i = 0; i < z.Length; i++)
                {
                    a[i] = MathF.Exp(z[i] - max);
                    sum += a[i];
                }
                float inverse = 1f / sum;
                for (int i = 0; i < z.Length; i++)
                    a[i] *= inverse;
                break;
            }
            default:
                throw new NotSupportedException(activation.ToString());
        }
    }

    /// <summary>δ = da ⊙ g'(z), in place; g' is written in terms of a where that is cheaper.</summary>
    private static void MultiplyByDerivative(Activation activation, float[] z, float[] a, float[] delta)
    {
        switch (activation)
        {
            case Activation.Identity:
                break;
            case Activation.Sigmoid:
                for (int i = 0; i < delta.Length; i++)
                    delta[i] *= a[i] * (1f - a[i]);
                break;
            case Activation.Tanh:
                for (int i = 0; i < delta.Length; i++)
                    delta[i] *= 1f - a[i] * a[i];
                break;
            case Activation.ReLU:
                for (int i = 0; i < delta.Length; i++)
                    delta[i] = z[i] > 0f ? delta[i] : 0f;
                break;
            default:
                throw new NotSupportedException(activation.ToString());
        }
    }

    /// <summary>Computes the loss from the output layer's buffers and fills the output layer's δ = ∂L/∂z.</summary>
    private float OutputLossAndDelta(float[] target)
    {
        int last = _units.Length - 1;
        float[] z = _z[last], a = _a[last], delta = _delta[last];
        int n = z.Length;
        if (_loss == Loss.MeanSquaredError)
        {
            // L = (1/n)·Σ (aᵢ − yᵢ)²,  ∂L/∂aᵢ = (2/n)·(aᵢ − yᵢ)
            float sum = 0f, scale = 2f / n;
            for (int i = 0; i < n; i++)
            {
                float e = a[i] - target[i];
                sum += e * e;
                delta[i] = scale * e;
            }
            MultiplyByDerivative(_activations[last], z, a, delta);
            return sum / n;
        }

        // Softmax + cross-entropy: L = Σ yᵢ·(logsumexp(z) − zᵢ),  ∂L/∂zᵢ = softmax(z)ᵢ·Σⱼ yⱼ − yᵢ
        float max = z[0];
        for (int i = 1; i < n; i++)
            if (z[i] > max)
                max = z[i];
        float expSum = 0f;
        for (int i = 0; i < n; i++)
            expSum += MathF.Exp(z[i] - max);
        float logSumExp = max + MathF.Log(expSum);
        float loss = 0f, targetSum = 0f;
        for (int i = 0; i < n; i++)
        {
            loss += target[i] * (logSumExp - z[i]);
            targetSum += target[i];
        }
        for (int i = 0; i < n; i++)
            delta[i] = a[i] * targetSum - target[i];
        return loss;
    }
}
