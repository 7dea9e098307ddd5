using NetGen.Tests.Reference;

namespace NetGen.Tests.Rbf;

/// <summary>
/// An independent double-precision reference for networks with Gaussian radial-basis layers, written from the
/// definitions and sharing no code with the generator or runtime: φᵢ(x) = exp(−βᵢ·Σⱼ (xⱼ − Cᵢⱼ)²) for an RBF layer
/// (parameters C [units × inputs] row-major, then β [units]), z = W·x + b then g(z) for a dense layer (W [units × inputs],
/// then b), and the four losses (MSE and MAE averaged over outputs, BCE averaged, CE summed).
/// </summary>
internal sealed class RbfReference
{
    /// <summary>A radial-basis layer (<paramref name="Activation"/> null) or a dense layer with its activation.</summary>
    public sealed record Layer(int Units, string? Activation)
    {
        public static Layer Rbf(int units) => new(units, null);

        public static Layer Dense(int units, string activation = "identity") => new(units, activation);

        public bool IsRbf => Activation is null;
    }

    private readonly string _loss;
    private readonly Layer[] _layers;

    public RbfReference(int inputs, string loss, params Layer[] layers)
    {
        InputSize = inputs;
        _loss = loss;
        _layers = layers;
        int width = inputs, count = 0;
        foreach (var layer in layers)
        {
            count += layer.Units * width + layer.Units; // C and β, or W and b
            width = layer.Units;
        }
        ParameterCount = count;
        OutputSize = width;
    }

    public int InputSize { get; }
    public int OutputSize { get; }
    public int ParameterCount { get; }

    /// <summary>Each block as (role, rows, columns), in buffer order.</summary>
    public IEnumerable<(ParameterRole Role, int Rows, int Columns)> Blocks()
    {
        int width = InputSize;
        foreach (var layer in _layers)
        {
            yield return (layer.IsRbf ? ParameterRole.Center : ParameterRole.Weight, layer.Units, width);
            yield return (layer.IsRbf ? ParameterRole.Precision : ParameterRole.Bias, layer.Units, 1);
            width = layer.Units;
        }
    }

    public double[] Forward(double[] theta, double[] x)
    {
        int at = 0;
        var a = x;
        foreach (var layer in _layers)
        {
            int n = a.Length, m = layer.Units;
            var next = new double[m];
            if (layer.IsRbf)
            {
                for (int i = 0; i < m; i++)
                {
                    double r = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double e = a[j] - theta[at + i * n + j];
                        r += e * e;
                    }
                    next[i] = Math.Exp(-theta[at + m * n + i] * r);
                }
            }
            else
            {
                for (int i = 0; i < m; i++)
                {
                    double z = theta[at + m * n + i];
                    for (int j = 0; j < n; j++) z += theta[at + i * n + j] * a[j];
                    next[i] = z;
                }
                next = Activate(layer.Activation!, next);
            }
            at += m * n + m;
            a = next;
        }
        return a;
    }

    private static double[] Activate(string activation, double[] z)
    {
        if (activation == "softmax")
        {
            double max = z.Max();
            var e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }
        return z.Select(v => activation switch
        {
            "identity" => v,
            "sigmoid" => 1 / (1 + Math.Exp(-v)),
            "tanh" => Math.Tanh(v),
            _ => throw new ArgumentException(activation),
        }).ToArray();
    }

    public double Loss(double[] theta, double[] x, double[] y)
    {
        var a = Forward(theta, x);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += _loss switch
            {
                "mse" => (a[i] - y[i]) * (a[i] - y[i]),
                "mae" => Math.Abs(a[i] - y[i]),
                "bce" => -(y[i] * Math.Log(a[i]) + (1 - y[i]) * Math.Log(1 - a[i])),
                "ce" => -y[i] * Math.Log(a[i]),
                _ => throw new ArgumentException(_loss),
            };
        return _loss == "ce" ? sum : sum / a.Length;
    }

    /// <summary>∂L/∂θ by central differences of <see cref="Loss"/> in double precision.</summary>
    public double[] NumericGradient(double[] theta, double[] x, double[] y, double h = 1e-6) =>
        CentralDifferences.Gradient(t => Loss(t, x, y), theta, _ => h);

    /// <summary>∂L/∂x by central differences (for a layer's input gradient, seen through a layer before it).</summary>
    public double[] NumericInputGradient(double[] theta, double[] x, double[] y, double h = 1e-6) =>
        CentralDifferences.Gradient(v => Loss(theta, v, y), x, _ => h);
}
