using NetGen.Tests.Reference;

namespace NetGen.Tests.Recurrent;

/// <summary>
/// An independent double-precision implementation of the recurrent layers, written in the test from PyTorch's
/// documented equations (torch.nn.RNN, GRU, LSTM), gate order (r, z, n; i, f, g, o) and layout (W_ih [gates·H, in],
/// W_hh [gates·H, H], b_ih, b_hh), plus dense layers applied to a vector or at every step, and the four losses. It shares
/// no code with the generator or the runtime kernels; the parameters are read from the flat buffer at the offsets of
/// the network's <c>ParameterLayout</c>, whose names and shapes a test checks against PyTorch's.
/// </summary>
internal sealed class RecurrentReference
{
    /// <summary>One layer of the reference: a recurrent cell ("elman-tanh", "elman-relu", "gru", "lstm") or a dense layer.</summary>
    public sealed record Layer(string Kind, int Units, bool Sequences = false, string Activation = "identity");

    private readonly Layer[] _layers;
    private readonly int _steps, _inputs;
    private readonly string _loss;
    private readonly (int Offset, int Rows, int Columns)[][] _blocks;

    public RecurrentReference(int steps, int inputs, string loss, IReadOnlyList<ParameterBlock> layout, params Layer[] layers)
    {
        _steps = steps;
        _inputs = inputs;
        _loss = loss;
        _layers = layers;
        // Blocks in layout order: 4 per recurrent layer (W_ih, W_hh, b_ih, b_hh), 2 per dense layer (W, b).
        var blocks = new List<(int, int, int)[]>();
        int next = 0;
        foreach (var layer in layers)
        {
            int count = layer.Kind == "dense" ? 2 : 4;
            blocks.Add(layout.Skip(next).Take(count).Select(b => (b.Offset, b.Rows, b.Columns)).ToArray());
            next += count;
        }
        _blocks = blocks.ToArray();
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The network's output for one sample: a vector, or steps × width flattened step after step.</summary>
    public double[] Forward(double[] theta, double[] x)
    {
        // The value between layers: rows (one per step, or one row for a vector).
        double[][] rows = Enumerable.Range(0, _steps).Select(t => x.Skip(t * _inputs).Take(_inputs).ToArray()).ToArray();
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            var b = _blocks[l];
            if (layer.Kind == "dense")
            {
                rows = rows.Select(row => Dense(theta, b, row, layer)).ToArray();
                continue;
            }
            int h = layer.Units;
            var state = new double[h];
            var cell = new double[h];
            var outputs = new List<double[]>();
            foreach (var xt in rows)
            {
                double[] Affine((int Offset, int Rows, int Columns) w, (int Offset, int Rows, int Columns) bias, double[] v, int row)
                {
                    double sum = theta[bias.Offset + row];
                    for (int j = 0; j < w.Columns; j++) sum += theta[w.Offset + row * w.Columns + j] * v[j];
                    return [sum];
                }
                double I(int row) => Affine(b[0], b[2], xt, row)[0];      // W_ih·x + b_ih, row
                double H(int row) => Affine(b[1], b[3], state, row)[0];   // W_hh·h + b_hh, row
                var next = new double[h];
                switch (layer.Kind)
                {
                    case "elman-tanh":
                    case "elman-relu":
                        for (int i = 0; i < h; i++)
                        {
                            double z = I(i) + H(i);
                            next[i] = layer.Kind == "elman-tanh" ? Math.Tanh(z) : Math.Max(0, z);
                        }
                        break;
                    case "gru":
                        for (int i = 0; i < h; i++)
                        {
                            double r = Sigmoid(I(i) + H(i));
                            double u = Sigmoid(I(h + i) + H(h + i));
                            double n = Math.Tanh(I(2 * h + i) + r * H(2 * h + i));
                            next[i] = (1 - u) * n + u * state[i];
                        }
                        break;
                    case "lstm":
                        var nextCell = new double[h];
                        for (int k = 0; k < h; k++)
                        {
                            double ig = Sigmoid(I(k) + H(k)), fg = Sigmoid(I(h + k) + H(h + k));
                            double gg = Math.Tanh(I(2 * h + k) + H(2 * h + k)), og = Sigmoid(I(3 * h + k) + H(3 * h + k));
                            nextCell[k] = fg * cell[k] + ig * gg;
                            next[k] = og * Math.Tanh(nextCell[k]);
                        }
                        cell = nextCell;
                        break;
                    default:
                        throw new ArgumentException(layer.Kind);
                }
                state = next;
                outputs.Add(state);
            }
            rows = layer.Sequences ? outputs.ToArray() : [state];
        }
        return rows.SelectMany(r => r).ToArray();
    }

    private static double[] Dense(double[] theta, (int Offset, int Rows, int Columns)[] b, double[] x, Layer layer)
    {
        var (w, bias) = (b[0], b[1]);
        var z = new double[w.Rows];
        for (int i = 0; i < w.Rows; i++)
        {
            z[i] = theta[bias.Offset + i];
            for (int j = 0; j < w.Columns; j++) z[i] += theta[w.Offset + i * w.Columns + j] * x[j];
        }
        switch (layer.Activation)
        {
            case "identity": return z;
            case "tanh": return z.Select(Math.Tanh).ToArray();
            case "sigmoid": return z.Select(Sigmoid).ToArray();
            case "softmax":
                double max = z.Max();
                var e = z.Select(v => Math.Exp(v - max)).ToArray();
                double sum = e.Sum();
                return e.Select(v => v / sum).ToArray();
            default: throw new ArgumentException(layer.Activation);
        }
    }

    /// <summary>The loss of one sample (PyTorch's mean reductions).</summary>
    public double Loss(double[] theta, double[] x, double[] y)
    {
        var a = Forward(theta, x);
        int n = a.Length;
        return _loss switch
        {
            "mse" => a.Select((v, i) => (v - y[i]) * (v - y[i])).Sum() / n,
            "mae" => a.Select((v, i) => Math.Abs(v - y[i])).Sum() / n,
            "bce" => -a.Select((v, i) => y[i] * Math.Log(v) + (1 - y[i]) * Math.Log(1 - v)).Sum() / n,
            "ce" => -a.Select((v, i) => y[i] * Math.Log(v)).Sum(),
            _ => throw new ArgumentException(_loss),
        };
    }

    /// <summary>∂L/∂xₖ, the gradient of the loss with respect to input value <paramref name="index"/>, by central differences.</summary>
    public double InputGradient(double[] theta, double[] x, double[] y, int index, double h = 1e-6)
    {
        var t = (double[])x.Clone();
        t[index] = x[index] + h;
        double plus = Loss(theta, t, y);
        t[index] = x[index] - h;
        double minus = Loss(theta, t, y);
        return (plus - minus) / (2 * h);
    }

    /// <summary>∂L/∂θ by central differences of <see cref="Loss"/> in double precision.</summary>
    public double[] NumericGradient(double[] theta, double[] x, double[] y, double h = 1e-6) =>
        CentralDifferences.Gradient(t => Loss(t, x, y), theta, _ => h);
}
