using System.Reflection;

namespace NetGen.Tests.Reference;

/// <summary>
/// An independent reference for generated networks: the textbook MLP written directly from the definitions in double
/// precision, sharing no code with the generator or runtime. It reads the layer structure from the attributes through
/// reflection (the compiler's view of the declaration) and the parameters in the documented layout: the trainable
/// blocks layer by layer (W row-major [units, inputs], b, then γ and β of a batch normalization, then PReLU slopes α),
/// then the state, layer by layer (each batch normalization's running mean and running variance).
/// </summary>
internal sealed class ReferenceMlp
{
    public sealed record Layer(int Inputs, int Units, Activation Activation, double Slope, bool Residual = false, double InputDropout = 0,
        double BatchNormEpsilon = 0)
    {
        /// <summary>PReLU layers have one learnable slope per unit, stored after the biases (and batch normalization's γ and β).</summary>
        public int Slopes => Activation == Activation.PReLU ? Units : 0;

        public bool BatchNorm => BatchNormEpsilon > 0;

        /// <summary>γ, β, running mean, running variance: 4 blocks of Units after the biases.</summary>
        public int NormParameters => BatchNorm ? 4 * Units : 0;
    }

    public ReferenceMlp(int inputs, Loss loss, IReadOnlyList<Layer> layers)
    {
        InputSize = inputs;
        LossKind = loss;
        Layers = layers;
        ParameterCount = layers.Sum(l => (l.Inputs + 1) * l.Units + l.NormParameters + l.Slopes);
    }

    /// <summary>Where one layer's blocks start in the flat buffer (−1 for blocks the layer does not have).</summary>
    public sealed record Offsets(int W, int B, int Gamma, int Beta, int Mean, int Variance, int Alpha);

    /// <summary>Each layer's block offsets in the documented layout: trainable blocks first, then the state.</summary>
    public IReadOnlyList<Offsets> Layout()
    {
        var result = new List<Offsets>();
        int at = 0;
        foreach (var layer in Layers)
        {
            int m = layer.Units, w = at, b = w + layer.Inputs * m;
            at = b + m;
            int gamma = layer.BatchNorm ? at : -1, beta = layer.BatchNorm ? at + m : -1;
            if (layer.BatchNorm) at += 2 * m;
            int alpha = layer.Slopes > 0 ? at : -1;
            at += layer.Slopes;
            result.Add(new Offsets(w, b, gamma, beta, -1, -1, alpha));
        }
        for (int l = 0; l < Layers.Count; l++)
            if (Layers[l].BatchNorm)
            {
                result[l] = result[l] with { Mean = at, Variance = at + Layers[l].Units };
                at += 2 * Layers[l].Units;
            }
        return result;
    }

    public int InputSize { get; }
    public Loss LossKind { get; }
    public IReadOnlyList<Layer> Layers { get; }
    public int ParameterCount { get; }
    public int OutputSize => Layers[^1].Units;

    public static ReferenceMlp FromAttributes(Type type)
    {
        var network = type.GetCustomAttribute<NetworkAttribute>() ?? throw new InvalidOperationException(type + " has no [Network].");
        var layers = new List<Layer>();
        int inputs = network.Inputs;
        double dropout = 0;
        // Metadata keeps the attributes in source order: a [Dropout] applies to the input of the next [Dense], a
        // [BatchNorm] to the [Dense] just before it.
        foreach (var attribute in type.GetCustomAttributes(inherit: false))
        {
            if (attribute is DropoutAttribute d) dropout = d.Rate;
            if (attribute is BatchNormAttribute bn) layers[^1] = layers[^1] with { BatchNormEpsilon = bn.Epsilon };
            if (attribute is not DenseAttribute dense) continue;
            layers.Add(new Layer(inputs, dense.Units, dense.Activation, dense.NegativeSlope, dense.Residual, dropout));
            inputs = dense.Units;
            dropout = 0;
        }
        return new ReferenceMlp(network.Inputs, network.Loss, layers);
    }

    public static double Activate(Activation activation, double slope, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        Activation.ReLU => Math.Max(z, 0.0),
        Activation.LeakyReLU or Activation.PReLU => z > 0 ? z : slope * z,
        Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
        Activation.Softplus => Math.Log(1 + Math.Exp(z)),
        Activation.SiLU => z / (1 + Math.Exp(-z)),
        Activation.Step => z >= 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>The pre-activation of the output layer and the network's output.</summary>
    public (double[] Logits, double[] Output) Forward(double[] theta, double[] x) => Forward(theta, x, null);

    /// <summary>
    /// Dropout masks as training mode draws them: for each layer with input dropout p, in order, one
    /// <see cref="SeededRandom.NextSingle()"/> per input, kept (m = 1/(1 − p)) when it is ≥ p, else m = 0.
    /// </summary>
    public double[]?[] Masks(ref SeededRandom random)
    {
        var masks = new double[]?[Layers.Count];
        for (int l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            if (layer.InputDropout <= 0) continue;
            float p = (float)layer.InputDropout, scale = 1f / (1f - p);
            masks[l] = new double[layer.Inputs];
            for (int j = 0; j < layer.Inputs; j++)
                masks[l]![j] = random.NextSingle() >= p ? scale : 0f;
        }
        return masks;
    }

    /// <summary>The masks in force while a forward pass runs (training mode), or null (inference mode).</summary>
    public double[]?[]? ActiveMasks { get; set; }

    /// <summary>The forward pass; <paramref name="onPreActivation"/> sees each layer's z.</summary>
    private (double[] Logits, double[] Output) Forward(double[] theta, double[] x, Action<Layer, double[]>? onPreActivation)
    {
        double[] a = x, z = x;
        var layout = Layout();
        for (int l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            var (offset, bias, gamma, beta, mean, variance, slopes) = layout[l];
            if (ActiveMasks?[l] is { } mask)
                a = a.Select((v, j) => v * mask[j]).ToArray();
            z = new double[layer.Units];
            for (int i = 0; i < layer.Units; i++)
            {
                double sum = theta[bias + i];
                for (int j = 0; j < layer.Inputs; j++)
                    sum += theta[offset + i * layer.Inputs + j] * a[j];
                z[i] = sum;
            }
            if (layer.BatchNorm)
            {
                // Inference mode: y = γ·(z − μ)/√(v + ε) + β with the running statistics.
                z = z.Select((v, i) => theta[gamma + i] * (v - theta[mean + i]) / Math.Sqrt(theta[variance + i] + (float)layer.BatchNormEpsilon) + theta[beta + i]).ToArray();
            }
            onPreActivation?.Invoke(layer, z);
            if (layer.Activation == Activation.Softmax)
            {
                double max = z.Max();
                double total = z.Sum(v => Math.Exp(v - max));
                a = z.Select(v => Math.Exp(v - max) / total).ToArray();
            }
            else
            {
                var input = a;
                // PReLU's slope αᵢ is a parameter; a residual layer adds its input: aᵢ = g(zᵢ) + xᵢ.
                a = z.Select((v, i) => Activate(layer.Activation, layer.Activation == Activation.PReLU ? theta[slopes + i] : layer.Slope, v)
                                       + (layer.Residual ? input[i] : 0.0)).ToArray();
            }
        }
        return (z, a);
    }

    /// <summary>
    /// Training mode over a batch: the sum of the samples' losses when every batch-normalized layer uses the batch's mean
    /// and biased variance of each unit (no running statistics), so the samples are coupled.
    /// </summary>
    public double BatchLoss(double[] theta, double[][] xs, double[][] ys)
    {
        int count = xs.Length;
        var a = xs.Select(x => (double[])x.Clone()).ToArray();
        var layout = Layout();
        for (int l = 0; l < Layers.Count; l++)
        {
            var layer = Layers[l];
            int m = layer.Units;
            var (offset, bias, gamma, beta, _, _, slopes) = layout[l];
            var z = new double[count][];
            for (int b = 0; b < count; b++)
            {
                z[b] = new double[m];
                for (int i = 0; i < m; i++)
                {
                    double sum = theta[bias + i];
                    for (int j = 0; j < layer.Inputs; j++) sum += theta[offset + i * layer.Inputs + j] * a[b][j];
                    z[b][i] = sum;
                }
            }
            if (layer.BatchNorm)
                for (int i = 0; i < m; i++)
                {
                    double mean = z.Average(v => v[i]);
                    double variance = z.Average(v => (v[i] - mean) * (v[i] - mean));
                    double inverse = 1 / Math.Sqrt(variance + (float)layer.BatchNormEpsilon);
                    for (int b = 0; b < count; b++) z[b][i] = theta[gamma + i] * (z[b][i] - mean) * inverse + theta[beta + i];
                }
            for (int b = 0; b < count; b++)
            {
                var input = a[b];
                if (layer.Activation == Activation.Softmax)
                {
                    double max = z[b].Max(), total = z[b].Sum(v => Math.Exp(v - max));
                    a[b] = z[b].Select(v => Math.Exp(v - max) / total).ToArray();
                }
                else
                    a[b] = z[b].Select((v, i) => Activate(layer.Activation, layer.Activation == Activation.PReLU ? theta[slopes + i] : layer.Slope, v)
                                                 + (layer.Residual ? input[i] : 0.0)).ToArray();
            }
        }
        double loss = 0;
        for (int b = 0; b < count; b++) loss += LossOf(a[b], ys[b]);
        return loss;
    }

    /// <summary>The loss, straight from its definition (cross-entropies in their textbook form, not the stable one).</summary>
    public double Loss(double[] theta, double[] x, double[] y) => LossOf(Forward(theta, x).Output, y);

    private double LossOf(double[] a, double[] y)
    {
        int n = a.Length;
        return LossKind switch
        {
            NetGen.Loss.MeanSquaredError => Enumerable.Range(0, n).Sum(i => (a[i] - y[i]) * (a[i] - y[i])) / n,
            NetGen.Loss.MeanAbsoluteError => Enumerable.Range(0, n).Sum(i => Math.Abs(a[i] - y[i])) / n,
            NetGen.Loss.BinaryCrossEntropy => Enumerable.Range(0, n).Sum(i => -(y[i] * Math.Log(a[i]) + (1 - y[i]) * Math.Log(1 - a[i]))) / n,
            NetGen.Loss.CrossEntropy => -Enumerable.Range(0, n).Sum(i => y[i] * Math.Log(a[i])),
            _ => throw new ArgumentOutOfRangeException(),
        };
    }

    /// <summary>∂L/∂θ by central finite differences in double precision, h = 1e-6·max(1, |θₖ|).</summary>
    public double[] NumericGradient(double[] theta, double[] x, double[] y) =>
        CentralDifferences.Gradient(t => Loss(t, x, y), theta, v => 1e-6 * Math.Max(1.0, Math.Abs(v)));

    /// <summary>The smallest |zᵢ| over every ReLU-family unit: how close the point is to a kink.</summary>
    public double DistanceToKink(double[] theta, double[] x)
    {
        double closest = double.PositiveInfinity;
        Forward(theta, x, (layer, z) =>
        {
            if (layer.Activation is Activation.ReLU or Activation.LeakyReLU or Activation.PReLU)
                closest = Math.Min(closest, z.Min(Math.Abs));
        });
        return closest;
    }
}
