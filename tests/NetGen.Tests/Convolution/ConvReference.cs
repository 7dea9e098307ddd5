using NetGen.Tests.Reference;

namespace NetGen.Tests.Convolution;

/// <summary>
/// An independent double-precision implementation of convolution networks, written in the test from PyTorch's documented
/// equations and layouts: <c>nn.Conv2d</c> (cross-correlation, zero padding, weight [filters, channels, k, k] row-major),
/// <c>nn.MaxPool2d</c> and <c>nn.AvgPool2d</c> (no padding, floor of the output size), <c>nn.Conv1d</c>'s weight
/// [filters, channels, k] over a sequence stored step after step ([T × channels], Keras' time-major values), flatten in
/// memory order, dense layers applied to a whole vector or at every step of a sequence, and the four losses with
/// PyTorch's mean reductions. Values are plain nested loops over flat arrays, CHW row-major for images. It shares no
/// code with the generator or the runtime kernels; the parameters are read from the flat buffer at the offsets of the
/// network's <c>ParameterLayout</c>, taken in order, whose roles and shapes a test checks against <see cref="Blocks"/>.
/// </summary>
internal sealed class ConvReference
{
    /// <summary>
    /// One layer of the reference: "conv2d", "conv1d" (Units = filters), "maxpool", "avgpool" (Kernel = the window's
    /// side), "flatten" or "dense". Activations: identity, sigmoid, tanh, relu, leakyrelu (slope 0.01), elu, softplus,
    /// silu, and softmax (dense layers only; over each row, so over each step of a sequence).
    /// </summary>
    public sealed record Layer(string Kind, int Units = 0, int Kernel = 1, int Stride = 1, int Padding = 0, bool Bias = true, string Activation = "identity")
    {
        public static Layer Conv2D(int filters, int kernel, int stride = 1, int padding = 0, bool bias = true, string activation = "identity") =>
            new("conv2d", filters, kernel, stride, padding, bias, activation);

        public static Layer Conv1D(int filters, int kernel, int stride = 1, int padding = 0, bool bias = true, string activation = "identity") =>
            new("conv1d", filters, kernel, stride, padding, bias, activation);

        /// <summary>Max pooling; a stride of 0 means the window's side (PyTorch's default, windows that tile the image).</summary>
        public static Layer MaxPool(int size, int stride = 0) => new("maxpool", 0, size, stride == 0 ? size : stride, Bias: false);

        /// <summary>Average pooling; a stride of 0 means the window's side.</summary>
        public static Layer AvgPool(int size, int stride = 0) => new("avgpool", 0, size, stride == 0 ? size : stride, Bias: false);

        public static Layer Flatten() => new("flatten", Bias: false);

        public static Layer Dense(int units, string activation = "identity") => new("dense", units, Activation: activation);
    }

    /// <summary>What a value between layers is.</summary>
    public enum Form { Image, Sequence, Vector }

    /// <summary>
    /// The shape of a value between layers: an image Channels × Height × Width (CHW row-major), a sequence of Height steps
    /// of Width values each (step after step; Channels = 1), or a vector of Width values (Channels = Height = 1).
    /// </summary>
    public readonly record struct Shape(Form Form, int Channels, int Height, int Width)
    {
        public int Size => Channels * Height * Width;

        public override string ToString() => Form switch
        {
            Form.Image => $"{Channels}×{Height}×{Width}",
            Form.Sequence => $"[{Height} steps × {Width}]",
            _ => $"{Width}",
        };
    }

    /// <summary>A parameter block the reference expects, in layout order: which layer (0-based), its role and shape.</summary>
    public readonly record struct ExpectedBlock(int Layer, ParameterRole Role, int Rows, int Columns);

    private readonly Layer[] _layers;
    private readonly Shape[] _shapes; // _shapes[l] is layer l's input, _shapes[^1] the network's output
    private readonly string _loss;
    private readonly (int Offset, int Rows, int Columns)[][] _blocks;
    private readonly List<ExpectedBlock> _expected = [];

    /// <param name="inputShape">[channels, height, width] for an image, [steps, channels] for a sequence, [n] for a vector.</param>
    /// <param name="loss">"mse", "mae", "bce" (sigmoid outputs) or "ce" (softmax outputs).</param>
    /// <param name="layout">The network's <c>ParameterLayout</c>: its blocks are taken in order, W then b (when the
    /// layer has a bias) for every convolution and dense layer; pooling and flatten have none.</param>
    public ConvReference(int[] inputShape, string loss, IReadOnlyList<ParameterBlock> layout, params Layer[] layers)
    {
        _loss = loss;
        _layers = layers;
        _shapes = new Shape[layers.Length + 1];
        _shapes[0] = inputShape.Length switch
        {
            3 => new Shape(Form.Image, inputShape[0], inputShape[1], inputShape[2]),
            2 => new Shape(Form.Sequence, 1, inputShape[0], inputShape[1]),
            1 => new Shape(Form.Vector, 1, 1, inputShape[0]),
            _ => throw new ArgumentException("An input shape has 1, 2 or 3 dimensions.", nameof(inputShape)),
        };
        var blocks = new List<(int, int, int)[]>();
        int next = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            var input = _shapes[l];
            (int Rows, int Columns)? weights = null;
            switch (layer.Kind)
            {
                case "conv2d":
                {
                    Require(input, Form.Image, l);
                    int k = layer.Kernel, s = layer.Stride, p = layer.Padding;
                    _shapes[l + 1] = new Shape(Form.Image, layer.Units, OutputLength(input.Height + 2 * p, k, s, l), OutputLength(input.Width + 2 * p, k, s, l));
                    weights = (layer.Units, input.Channels * k * k);
                    break;
                }
                case "conv1d":
                {
                    Require(input, Form.Sequence, l);
                    int k = layer.Kernel, s = layer.Stride, p = layer.Padding;
                    _shapes[l + 1] = new Shape(Form.Sequence, 1, OutputLength(input.Height + 2 * p, k, s, l), layer.Units);
                    weights = (layer.Units, input.Width * k);
                    break;
                }
                case "maxpool":
                case "avgpool":
                    Require(input, Form.Image, l);
                    _shapes[l + 1] = new Shape(Form.Image, input.Channels, OutputLength(input.Height, layer.Kernel, layer.Stride, l), OutputLength(input.Width, layer.Kernel, layer.Stride, l));
                    break;
                case "flatten":
                    _shapes[l + 1] = new Shape(Form.Vector, 1, 1, input.Size);
                    break;
                case "dense":
                    // After a sequence: the same W at every step; after an image or a vector: one W over every value.
                    _shapes[l + 1] = input.Form == Form.Sequence
                        ? new Shape(Form.Sequence, 1, input.Height, layer.Units)
                        : new Shape(Form.Vector, 1, 1, layer.Units);
                    weights = (layer.Units, input.Form == Form.Sequence ? input.Width : input.Size);
                    break;
                default:
                    throw new ArgumentException("Unknown layer kind " + layer.Kind);
            }
            int count = 0;
            if (weights is { } w)
            {
                _expected.Add(new ExpectedBlock(l, ParameterRole.Weight, w.Rows, w.Columns));
                count = 1;
                if (layer.Bias)
                {
                    _expected.Add(new ExpectedBlock(l, ParameterRole.Bias, w.Rows, 1));
                    count = 2;
                }
            }
            // Missing blocks (a layout that does not match) give a short array and an index error later, in the test.
            blocks.Add(layout.Skip(next).Take(count).Select(b => (b.Offset, b.Rows, b.Columns)).ToArray());
            next += count;
        }
        _blocks = blocks.ToArray();
    }

    private static void Require(Shape input, Form form, int layer)
    {
        if (input.Form != form) throw new ArgumentException($"Reference layer {layer} needs a {form} input but gets {input}.");
    }

    /// <summary>⌊(n − k)/s⌋ + 1, where n already includes the padding on both sides.</summary>
    private static int OutputLength(int n, int k, int s, int layer) =>
        n >= k && s >= 1 ? (n - k) / s + 1 : throw new ArgumentException($"Reference layer {layer}: a window of {k} does not fit in {n}.");

    /// <summary>The input value of every layer, then the network's output.</summary>
    public IReadOnlyList<Shape> Shapes => _shapes;

    /// <summary>The parameter blocks a layout must have, in order: W (filters × C·k·k, filters × C·k, or units × fan-in),
    /// then b (rows × 1) when the layer has a bias.</summary>
    public IReadOnlyList<ExpectedBlock> Blocks => _expected;

    public int InputSize => _shapes[0].Size;

    public int OutputSize => _shapes[^1].Size;

    public int ParameterCount => _expected.Sum(b => b.Rows * b.Columns);

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Activate(string activation, double z) => activation switch
    {
        "identity" => z,
        "sigmoid" => Sigmoid(z),
        "tanh" => Math.Tanh(z),
        "relu" => Math.Max(0, z),
        "leakyrelu" => z > 0 ? z : 0.01 * z,
        "elu" => z > 0 ? z : Math.Exp(z) - 1,
        "softplus" => Math.Log(1 + Math.Exp(z)),
        "silu" => z * Sigmoid(z),
        _ => throw new ArgumentException("Unknown activation " + activation),
    };

    /// <summary>g applied to every element, or softmax over each row of <paramref name="width"/> values.</summary>
    private static double[] Activate(string activation, double[] z, int width)
    {
        var a = new double[z.Length];
        if (activation == "softmax")
        {
            for (int start = 0; start < z.Length; start += width)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < width; i++) max = Math.Max(max, z[start + i]);
                double sum = 0;
                for (int i = 0; i < width; i++) sum += a[start + i] = Math.Exp(z[start + i] - max);
                for (int i = 0; i < width; i++) a[start + i] /= sum;
            }
            return a;
        }
        for (int i = 0; i < z.Length; i++) a[i] = Activate(activation, z[i]);
        return a;
    }

    /// <summary>The network's output for one sample, in the memory order of its last shape.</summary>
    public double[] Forward(double[] theta, double[] x)
    {
        if (x.Length != InputSize) throw new ArgumentException($"The input has {x.Length} values, not {InputSize}.");
        double[] v = (double[])x.Clone();
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            Shape input = _shapes[l], output = _shapes[l + 1];
            v = layer.Kind switch
            {
                "conv2d" => Conv2D(theta, _blocks[l], layer, input, output, v),
                "conv1d" => Conv1D(theta, _blocks[l], layer, input, output, v),
                "maxpool" => Pool(max: true, layer, input, output, v),
                "avgpool" => Pool(max: false, layer, input, output, v),
                "flatten" => v,
                "dense" => Dense(theta, _blocks[l], layer, input, output, v),
                _ => throw new ArgumentException(layer.Kind),
            };
        }
        return v;
    }

    /// <summary>z[o,i,j] = b[o] + Σ_c Σ_u Σ_v W[o,c,u,v]·x[c, s·i+u−p, s·j+v−p], zero outside the image; a = g(z).</summary>
    private static double[] Conv2D(double[] theta, (int Offset, int Rows, int Columns)[] b, Layer layer, Shape input, Shape output, double[] x)
    {
        int channels = input.Channels, height = input.Height, width = input.Width;
        int k = layer.Kernel, s = layer.Stride, p = layer.Padding;
        int w = b[0].Offset;
        var z = new double[output.Size];
        for (int o = 0; o < output.Channels; o++)
        {
            for (int i = 0; i < output.Height; i++)
            {
                for (int j = 0; j < output.Width; j++)
                {
                    double sum = layer.Bias ? theta[b[1].Offset + o] : 0;
                    for (int c = 0; c < channels; c++)
                    {
                        for (int u = 0; u < k; u++)
                        {
                            int row = s * i + u - p;
                            if (row < 0 || row >= height) continue;
                            for (int v = 0; v < k; v++)
                            {
                                int column = s * j + v - p;
                                if (column < 0 || column >= width) continue;
                                sum += theta[w + ((o * channels + c) * k + u) * k + v] * x[(c * height + row) * width + column];
                            }
                        }
                    }
                    z[(o * output.Height + i) * output.Width + j] = sum;
                }
            }
        }
        return Activate(layer.Activation, z, 1);
    }

    /// <summary>z[t,o] = b[o] + Σ_c Σ_u W[o,c,u]·x[s·t+u−p, c], zero outside the sequence; a = g(z), stored step after step.</summary>
    private static double[] Conv1D(double[] theta, (int Offset, int Rows, int Columns)[] b, Layer layer, Shape input, Shape output, double[] x)
    {
        int channels = input.Width, steps = input.Height, filters = output.Width;
        int k = layer.Kernel, s = layer.Stride, p = layer.Padding;
        int w = b[0].Offset;
        var z = new double[output.Size];
        for (int t = 0; t < output.Height; t++)
        {
            for (int o = 0; o < filters; o++)
            {
                double sum = layer.Bias ? theta[b[1].Offset + o] : 0;
                for (int c = 0; c < channels; c++)
                {
                    for (int u = 0; u < k; u++)
                    {
                        int step = s * t + u - p;
                        if (step < 0 || step >= steps) continue;
                        sum += theta[w + (o * channels + c) * k + u] * x[step * channels + c];
                    }
                }
                z[t * filters + o] = sum;
            }
        }
        return Activate(layer.Activation, z, 1);
    }

    /// <summary>y[c,i,j] = the max (or the mean) of x[c, s·i+u, s·j+v] over u, v in [0, size).</summary>
    private static double[] Pool(bool max, Layer layer, Shape input, Shape output, double[] x)
    {
        int height = input.Height, width = input.Width, size = layer.Kernel, s = layer.Stride;
        var y = new double[output.Size];
        for (int c = 0; c < output.Channels; c++)
        {
            for (int i = 0; i < output.Height; i++)
            {
                for (int j = 0; j < output.Width; j++)
                {
                    double result = max ? double.NegativeInfinity : 0;
                    for (int u = 0; u < size; u++)
                    {
                        for (int v = 0; v < size; v++)
                        {
                            double value = x[(c * height + s * i + u) * width + s * j + v];
                            result = max ? Math.Max(result, value) : result + value;
                        }
                    }
                    y[(c * output.Height + i) * output.Width + j] = max ? result : result / (size * size);
                }
            }
        }
        return y;
    }

    /// <summary>z = W·x + b over the whole input (an image flattened in memory order), or over each step of a sequence.</summary>
    private static double[] Dense(double[] theta, (int Offset, int Rows, int Columns)[] b, Layer layer, Shape input, Shape output, double[] x)
    {
        var (w, bias) = (b[0], b[1]);
        int rows = input.Form == Form.Sequence ? input.Height : 1;
        int fanIn = x.Length / rows, units = layer.Units;
        var z = new double[rows * units];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < units; i++)
            {
                double sum = theta[bias.Offset + i];
                for (int j = 0; j < fanIn; j++) sum += theta[w.Offset + i * fanIn + j] * x[r * fanIn + j];
                z[r * units + i] = sum;
            }
        }
        return Activate(layer.Activation, z, units);
    }

    /// <summary>The loss of one sample (PyTorch's mean reductions; cross-entropy summed over the outputs).</summary>
    public double Loss(double[] theta, double[] x, double[] y)
    {
        var a = Forward(theta, x);
        int n = a.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += _loss switch
            {
                "mse" => (a[i] - y[i]) * (a[i] - y[i]),
                "mae" => Math.Abs(a[i] - y[i]),
                "bce" => -(y[i] * Math.Log(a[i]) + (1 - y[i]) * Math.Log(1 - a[i])),
                "ce" => -y[i] * Math.Log(a[i]),
                _ => throw new ArgumentException(_loss),
            };
        }
        return _loss == "ce" ? sum : sum / n;
    }

    /// <summary>∂L/∂θ by central differences of <see cref="Loss"/> in double precision.</summary>
    public double[] NumericGradient(double[] theta, double[] x, double[] y, double h = 1e-6) =>
        CentralDifferences.Gradient(t => Loss(t, x, y), theta, _ => h);
}
