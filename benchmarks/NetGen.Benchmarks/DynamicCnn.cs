namespace NetGen.Benchmarks;

/// <summary>
/// The straightforward dynamic-size C# baseline for convolutional training: conv (ReLU) → 2×2 max pool → conv (ReLU) →
/// 2×2 max pool → dense (ReLU) → dense (softmax, cross-entropy), every size given at run time, direct convolution in
/// nested loops with bounds checks on the padded input — what a developer writes without a generator or a library. Same
/// parameter layout as NetGen (PyTorch's): W1 [F1, C·k·k], b1, W3, b3, W5 [H, in], b5, W6, b6. The suite checks that it
/// computes the generated network's gradients before timing either.
/// </summary>
internal sealed class DynamicCnn
{
    private readonly int _c, _h, _w, _f1, _k1, _p1, _f2, _k2, _hidden, _classes;
    private readonly int _h1, _w1, _hp1, _wp1, _h2, _w2, _hp2, _wp2, _flat;
    private readonly float[] _z1, _p1v, _z2, _p2v, _z3, _a3, _z4;
    private readonly int[] _arg1, _arg2;
    private readonly float[] _dz1, _dp1, _dz2, _dp2, _dz3, _dz4;

    public DynamicCnn(int channels, int height, int width, int filters1, int kernel1, int padding1, int filters2, int kernel2, int hidden, int classes)
    {
        (_c, _h, _w, _f1, _k1, _p1, _f2, _k2, _hidden, _classes) = (channels, height, width, filters1, kernel1, padding1, filters2, kernel2, hidden, classes);
        _h1 = height + 2 * padding1 - kernel1 + 1; _w1 = width + 2 * padding1 - kernel1 + 1;
        _hp1 = _h1 / 2; _wp1 = _w1 / 2;
        _h2 = _hp1 - kernel2 + 1; _w2 = _wp1 - kernel2 + 1;
        _hp2 = _h2 / 2; _wp2 = _w2 / 2;
        _flat = filters2 * _hp2 * _wp2;
        _z1 = new float[filters1 * _h1 * _w1]; _dz1 = new float[_z1.Length];
        _p1v = new float[filters1 * _hp1 * _wp1]; _dp1 = new float[_p1v.Length]; _arg1 = new int[_p1v.Length];
        _z2 = new float[filters2 * _h2 * _w2]; _dz2 = new float[_z2.Length];
        _p2v = new float[_flat]; _dp2 = new float[_flat]; _arg2 = new int[_flat];
        _z3 = new float[hidden]; _a3 = new float[hidden]; _dz3 = new float[hidden];
        _z4 = new float[classes]; _dz4 = new float[classes];
    }

    public int ParameterCount => _f1 * _c * _k1 * _k1 + _f1 + _f2 * _f1 * _k2 * _k2 + _f2 + _hidden * _flat + _hidden + _classes * _hidden + _classes;

    private int W1 => 0;
    private int B1 => _f1 * _c * _k1 * _k1;
    private int W2 => B1 + _f1;
    private int B2 => W2 + _f2 * _f1 * _k2 * _k2;
    private int W3 => B2 + _f2;
    private int B3 => W3 + _hidden * _flat;
    private int W4 => B3 + _hidden;
    private int B4 => W4 + _classes * _hidden;

    /// <summary>z[f, i, j] = b[f] + Σ W[f, c, u, v]·x[c, i + u − p, j + v − p], then ReLU in place.</summary>
    private static void Conv(float[] theta, int w, int b, ReadOnlySpan<float> x, int c, int h, int wd, int f, int k, int p, float[] z, int oh, int ow)
    {
        for (int o = 0; o < f; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float sum = theta[b + o];
                    for (int ch = 0; ch < c; ch++)
                        for (int u = 0; u < k; u++)
                            for (int v = 0; v < k; v++)
                            {
                                int y = i + u - p, xx = j + v - p;
                                if (y >= 0 && y < h && xx >= 0 && xx < wd)
                                    sum += theta[w + ((o * c + ch) * k + u) * k + v] * x[(ch * h + y) * wd + xx];
                            }
                    z[(o * oh + i) * ow + j] = MathF.Max(0f, sum);
                }
    }

    private static void Pool(float[] x, int c, int h, int w, float[] y, int[] arg)
    {
        int oh = h / 2, ow = w / 2;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int best = (ch * h + 2 * i) * w + 2 * j;
                    for (int u = 0; u < 2; u++)
                        for (int v = 0; v < 2; v++)
                        {
                            int at = (ch * h + 2 * i + u) * w + 2 * j + v;
                            if (x[at] > x[best]) best = at;
                        }
                    int o = (ch * oh + i) * ow + j;
                    y[o] = x[best];
                    arg[o] = best;
                }
    }

    /// <summary>The class probabilities of one image into <paramref name="output"/>.</summary>
    public void Predict(float[] theta, ReadOnlySpan<float> x, Span<float> output)
    {
        Forward(theta, x);
        float max = _z4.Max(), sum = 0f;
        for (int i = 0; i < _classes; i++) sum += output[i] = MathF.Exp(_z4[i] - max);
        for (int i = 0; i < _classes; i++) output[i] /= sum;
    }

    private void Forward(float[] theta, ReadOnlySpan<float> x)
    {
        Conv(theta, W1, B1, x, _c, _h, _w, _f1, _k1, _p1, _z1, _h1, _w1);
        Pool(_z1, _f1, _h1, _w1, _p1v, _arg1);
        Conv(theta, W2, B2, _p1v, _f1, _hp1, _wp1, _f2, _k2, 0, _z2, _h2, _w2);
        Pool(_z2, _f2, _h2, _w2, _p2v, _arg2);
        for (int i = 0; i < _hidden; i++)
        {
            float sum = theta[B3 + i];
            for (int j = 0; j < _flat; j++) sum += theta[W3 + i * _flat + j] * _p2v[j];
            _z3[i] = sum;
            _a3[i] = MathF.Max(0f, sum);
        }
        for (int i = 0; i < _classes; i++)
        {
            float sum = theta[B4 + i];
            for (int j = 0; j < _hidden; j++) sum += theta[W4 + i * _hidden + j] * _a3[j];
            _z4[i] = sum;
        }
    }

    /// <summary>Forward, cross-entropy loss and backward for one image; adds ∂L/∂θ into <paramref name="gradients"/> and returns L.</summary>
    public float Backward(float[] theta, ReadOnlySpan<float> x, ReadOnlySpan<float> target, float[] gradients)
    {
        Forward(theta, x);
        float max = _z4.Max(), sum = 0f;
        for (int i = 0; i < _classes; i++) sum += MathF.Exp(_z4[i] - max);
        float logSum = max + MathF.Log(sum), loss = 0f;
        for (int i = 0; i < _classes; i++)
        {
            loss += target[i] * (logSum - _z4[i]);
            _dz4[i] = MathF.Exp(_z4[i] - logSum) - target[i];
        }
        for (int i = 0; i < _classes; i++)
        {
            gradients[B4 + i] += _dz4[i];
            for (int j = 0; j < _hidden; j++) gradients[W4 + i * _hidden + j] += _dz4[i] * _a3[j];
        }
        for (int j = 0; j < _hidden; j++)
        {
            float d = 0f;
            for (int i = 0; i < _classes; i++) d += theta[W4 + i * _hidden + j] * _dz4[i];
            _dz3[j] = _z3[j] > 0f ? d : 0f;
        }
        Array.Clear(_dp2);
        for (int i = 0; i < _hidden; i++)
        {
            gradients[B3 + i] += _dz3[i];
            for (int j = 0; j < _flat; j++)
            {
                gradients[W3 + i * _flat + j] += _dz3[i] * _p2v[j];
                _dp2[j] += theta[W3 + i * _flat + j] * _dz3[i];
            }
        }
        Array.Clear(_dz2);
        for (int o = 0; o < _flat; o++) if (_z2[_arg2[o]] > 0f) _dz2[_arg2[o]] += _dp2[o];
        Array.Clear(_dp1);
        ConvBackward(theta, W2, B2, _p1v, _f1, _hp1, _wp1, _f2, _k2, 0, _dz2, _h2, _w2, gradients, _dp1);
        Array.Clear(_dz1);
        for (int o = 0; o < _p1v.Length; o++) if (_z1[_arg1[o]] > 0f) _dz1[_arg1[o]] += _dp1[o];
        ConvBackward(theta, W1, B1, x, _c, _h, _w, _f1, _k1, _p1, _dz1, _h1, _w1, gradients, null);
        return loss;
    }

    private static void ConvBackward(float[] theta, int w, int b, ReadOnlySpan<float> x, int c, int h, int wd, int f, int k, int p,
        float[] dz, int oh, int ow, float[] gradients, float[]? dx)
    {
        for (int o = 0; o < f; o++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    float d = dz[(o * oh + i) * ow + j];
                    gradients[b + o] += d;
                    for (int ch = 0; ch < c; ch++)
                        for (int u = 0; u < k; u++)
                            for (int v = 0; v < k; v++)
                            {
                                int y = i + u - p, xx = j + v - p;
                                if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
                                int wi = w + ((o * c + ch) * k + u) * k + v, xi = (ch * h + y) * wd + xx;
                                gradients[wi] += d * x[xi];
                                if (dx is not null) dx[xi] += theta[wi] * d;
                            }
                }
    }
}
