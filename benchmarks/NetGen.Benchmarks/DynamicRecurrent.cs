namespace NetGen.Benchmarks;

/// <summary>
/// The straightforward dynamic-size C# baseline for recurrent training: an Elman (tanh) or LSTM layer of any size, then
/// a dense output of one unit, mean squared error — arrays sized at run time and nested loops, forward through time then
/// backpropagation through time, in NetGen's (PyTorch's) parameter layout: W_ih, W_hh, b_ih, b_hh, then W and b of the
/// dense layer. What a developer writes without a generator; the suite checks it computes NetGen's gradients.
/// </summary>
internal sealed class DynamicRecurrent
{
    private readonly int _steps, _inputs, _units, _rows;
    private readonly bool _lstm;
    private readonly float[] _h, _c, _gates, _dh, _dc, _dg;

    public DynamicRecurrent(int steps, int inputs, int units, bool lstm)
    {
        (_steps, _inputs, _units, _lstm) = (steps, inputs, units, lstm);
        _rows = lstm ? 4 * units : units;
        _h = new float[(steps + 1) * units];   // h₀ = 0, then h₁ … h_T
        _c = new float[(steps + 1) * units];
        _gates = new float[steps * _rows];      // Elman: hₜ itself is enough; LSTM: i, f, g, o per step
        _dh = new float[units];
        _dc = new float[units];
        _dg = new float[_rows];
    }

    public int ParameterCount => _rows * (_inputs + _units + 2) + _units + 1;

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>Forward, loss and backward for one sample; adds ∂L/∂θ into <paramref name="gradients"/> and returns L.</summary>
    public float Backward(float[] theta, ReadOnlySpan<float> x, float target, float[] gradients)
    {
        int h = _units, f = _inputs, r = _rows;
        int wih = 0, whh = r * f, bih = whh + r * h, bhh = bih + r, wd = bhh + r, bd = wd + h;
        Array.Clear(_h, 0, h);
        Array.Clear(_c, 0, h);
        for (int t = 0; t < _steps; t++)
        {
            for (int i = 0; i < r; i++)
            {
                float z = theta[bih + i] + theta[bhh + i];
                for (int j = 0; j < f; j++) z += theta[wih + i * f + j] * x[t * f + j];
                for (int j = 0; j < h; j++) z += theta[whh + i * h + j] * _h[t * h + j];
                _gates[t * r + i] = z;
            }
            for (int k = 0; k < h; k++)
            {
                if (!_lstm)
                {
                    _h[(t + 1) * h + k] = MathF.Tanh(_gates[t * r + k]);
                    continue;
                }
                float ig = Sigmoid(_gates[t * r + k]), fg = Sigmoid(_gates[t * r + h + k]);
                float gg = MathF.Tanh(_gates[t * r + 2 * h + k]), og = Sigmoid(_gates[t * r + 3 * h + k]);
                _gates[t * r + k] = ig; _gates[t * r + h + k] = fg; _gates[t * r + 2 * h + k] = gg; _gates[t * r + 3 * h + k] = og;
                _c[(t + 1) * h + k] = fg * _c[t * h + k] + ig * gg;
                _h[(t + 1) * h + k] = og * MathF.Tanh(_c[(t + 1) * h + k]);
            }
        }
        float output = theta[bd];
        for (int k = 0; k < h; k++) output += theta[wd + k] * _h[_steps * h + k];
        float error = output - target;
        float delta = 2f * error;
        gradients[bd] += delta;
        for (int k = 0; k < h; k++)
        {
            gradients[wd + k] += delta * _h[_steps * h + k];
            _dh[k] = theta[wd + k] * delta;
            _dc[k] = 0f;
        }
        for (int t = _steps - 1; t >= 0; t--)
        {
            for (int k = 0; k < h; k++)
            {
                if (!_lstm)
                {
                    float state = _h[(t + 1) * h + k];
                    _dg[k] = _dh[k] * (1f - state * state);
                    continue;
                }
                float ig = _gates[t * r + k], fg = _gates[t * r + h + k], gg = _gates[t * r + 2 * h + k], og = _gates[t * r + 3 * h + k];
                float tanhC = MathF.Tanh(_c[(t + 1) * h + k]);
                float dcell = _dc[k] + _dh[k] * og * (1f - tanhC * tanhC);
                _dg[k] = dcell * gg * ig * (1f - ig);
                _dg[h + k] = dcell * _c[t * h + k] * fg * (1f - fg);
                _dg[2 * h + k] = dcell * ig * (1f - gg * gg);
                _dg[3 * h + k] = _dh[k] * tanhC * og * (1f - og);
                _dc[k] = dcell * fg;
            }
            for (int i = 0; i < r; i++)
            {
                float d = _dg[i];
                gradients[bih + i] += d;
                gradients[bhh + i] += d;
                for (int j = 0; j < f; j++) gradients[wih + i * f + j] += d * x[t * f + j];
                for (int j = 0; j < h; j++) gradients[whh + i * h + j] += d * _h[t * h + j];
            }
            for (int j = 0; j < h; j++)
            {
                float sum = 0f;
                for (int i = 0; i < r; i++) sum += theta[whh + i * h + j] * _dg[i];
                _dh[j] = sum;
            }
        }
        return error * error;
    }
}
