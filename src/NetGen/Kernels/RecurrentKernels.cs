using System;

namespace NetGen;

/// <summary>
/// Forward and backward-through-time kernels of the recurrent layers — Elman (PyTorch's <c>RNN</c>), <c>GRU</c> and
/// <c>LSTM</c> — over one sample's sequence of <c>steps</c> × <c>inputs</c> values, with PyTorch's equations, parameter
/// layout and gate order: W_ih [gates·H, inputs], W_hh [gates·H, H], b_ih [gates·H], b_hh [gates·H]; GRU gates r, z, n;
/// LSTM gates i, f, g, o; h₀ = 0 (and c₀ = 0). Generated code calls them with every size as a literal. The matrix-vector
/// products are <see cref="DenseKernels"/>'.
/// </summary>
/// <remarks>
/// Each layer keeps, per sample, a <c>cache</c> of what its backward pass needs — every step's state (and gates, and
/// LSTM's cell states) — and room for its per-step temporaries; its length is <see cref="CacheLength"/>. The forward
/// pass fills it; the backward pass reads it and overwrites the temporaries. Public because code generated into the
/// user's assembly calls it.
/// </remarks>
public static class RecurrentKernels
{
    /// <summary>The cell of a recurrent layer.</summary>
    public enum Cell
    {
        /// <summary>Elman's cell with tanh: hₜ = tanh(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh).</summary>
        ElmanTanh,

        /// <summary>Elman's cell with ReLU: hₜ = max(0, W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh).</summary>
        ElmanReLU,

        /// <summary>The gated recurrent unit (three gates r, z, n).</summary>
        Gru,

        /// <summary>Long short-term memory (four gates i, f, g, o, and a cell state).</summary>
        Lstm,
    }

    /// <summary>The number of gates (rows of W_ih per unit): 1, 3 or 4.</summary>
    public static int Gates(Cell cell) => cell switch { Cell.Gru => 3, Cell.Lstm => 4, _ => 1 };

    /// <summary>
    /// Floats of cache one sample needs: the states T·H; GRU adds r, z, n and W_hn·h + b_hn per step (4·T·H) and LSTM the
    /// cell states and the four gates (5·T·H); then the temporaries (Elman 3·H, GRU 7·H, LSTM 10·H).
    /// </summary>
    public static int CacheLength(Cell cell, int steps, int units) => cell switch
    {
        Cell.Gru => 5 * steps * units + 7 * units,
        Cell.Lstm => 6 * steps * units + 10 * units,
        _ => steps * units + 3 * units,
    };

    /// <summary>
    /// The forward pass through time. Writes every state into the cache and into <paramref name="output"/>: all T states
    /// (T·H values, many-to-many) or the last one (H values, many-to-one).
    /// </summary>
    public static void Forward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> input, Span<float> output, Span<float> cache, int steps, int inputs, int units)
    {
        Check(cell, weightsIh, weightsHh, biasIh, biasHh, input, cache, steps, inputs, units);
        if (output.Length != units && output.Length != steps * units)
            throw new ArgumentException($"output must hold the last state ({units} values) or every state ({steps * units}); it has {output.Length}.", nameof(output));
        int h = units, th = steps * units;
        Span<float> states = cache.Slice(0, th);
        switch (cell)
        {
            case Cell.Gru:
            {
                Span<float> r = cache.Slice(th, th), z = cache.Slice(2 * th, th), n = cache.Slice(3 * th, th), hn = cache.Slice(4 * th, th);
                Span<float> gi = cache.Slice(5 * th, 3 * h), gh = cache.Slice(5 * th + 3 * h, 3 * h);
                for (int t = 0; t < steps; t++)
                {
                    // gᵢ = W_ih·xₜ + b_ih and gₕ = W_hh·hₜ₋₁ + b_hh, each [r; z; n] blocks of H rows.
                    DenseKernels.Forward(weightsIh, biasIh, input.Slice(t * inputs, inputs), gi, 3 * h, inputs);
                    if (t > 0) DenseKernels.Forward(weightsHh, biasHh, states.Slice((t - 1) * h, h), gh, 3 * h, h);
                    else biasHh.Slice(0, 3 * h).CopyTo(gh);
                    int at = t * h;
                    for (int i = 0; i < h; i++)
                    {
                        float previous = t > 0 ? states[at - h + i] : 0f;
                        // r = σ(gᵢr + gₕr), z = σ(gᵢz + gₕz), n = tanh(gᵢn + r·gₕn), h = (1 − z)·n + z·hₜ₋₁
                        float ri = Sigmoid(gi[i] + gh[i]);
                        float zi = Sigmoid(gi[h + i] + gh[h + i]);
                        float ni = MathF.Tanh(gi[2 * h + i] + ri * gh[2 * h + i]);
                        r[at + i] = ri;
                        z[at + i] = zi;
                        n[at + i] = ni;
                        hn[at + i] = gh[2 * h + i];
                        states[at + i] = (1f - zi) * ni + zi * previous;
                    }
                }
                break;
            }
            case Cell.Lstm:
            {
                Span<float> cells = cache.Slice(th, th), gates = cache.Slice(2 * th, 4 * th);
                Span<float> gi = cache.Slice(6 * th, 4 * h), gh = cache.Slice(6 * th + 4 * h, 4 * h);
                for (int t = 0; t < steps; t++)
                {
                    // g = W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh, in blocks [i; f; g; o] of H rows.
                    DenseKernels.Forward(weightsIh, biasIh, input.Slice(t * inputs, inputs), gi, 4 * h, inputs);
                    if (t > 0) DenseKernels.Forward(weightsHh, biasHh, states.Slice((t - 1) * h, h), gh, 4 * h, h);
                    else biasHh.Slice(0, 4 * h).CopyTo(gh);
                    int at = t * h, gate = 4 * t * h;
                    for (int k = 0; k < h; k++)
                    {
                        float previousCell = t > 0 ? cells[at - h + k] : 0f;
                        // i = σ, f = σ, g = tanh, o = σ; c = f·cₜ₋₁ + i·g; h = o·tanh(c)
                        float ig = Sigmoid(gi[k] + gh[k]);
                        float fg = Sigmoid(gi[h + k] + gh[h + k]);
                        float gg = MathF.Tanh(gi[2 * h + k] + gh[2 * h + k]);
                        float og = Sigmoid(gi[3 * h + k] + gh[3 * h + k]);
                        float c = fg * previousCell + ig * gg;
                        gates[gate + k] = ig;
                        gates[gate + h + k] = fg;
                        gates[gate + 2 * h + k] = gg;
                        gates[gate + 3 * h + k] = og;
                        cells[at + k] = c;
                        states[at + k] = og * MathF.Tanh(c);
                    }
                }
                break;
            }
            default:
            {
                Span<float> hidden = cache.Slice(th, h);
                bool relu = cell == Cell.ElmanReLU;
                for (int t = 0; t < steps; t++)
                {
                    Span<float> state = states.Slice(t * h, h);
                    // zₜ = W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh, then hₜ = g(zₜ)
                    DenseKernels.Forward(weightsIh, biasIh, input.Slice(t * inputs, inputs), state, h, inputs);
                    if (t > 0) DenseKernels.Forward(weightsHh, biasHh, states.Slice((t - 1) * h, h), hidden, h, h);
                    else biasHh.Slice(0, h).CopyTo(hidden);
                    for (int i = 0; i < h; i++)
                    {
                        float zi = state[i] + hidden[i];
                        state[i] = relu ? (zi > 0f ? zi : 0f) : MathF.Tanh(zi);
                    }
                }
                break;
            }
        }
        (output.Length == th ? states : states.Slice(th - h, h)).CopyTo(output);
    }

    /// <summary>
    /// Backpropagation through time, from t = T down to 1, given ∂L/∂output (every state's, or the last one's):
    /// ∂L/∂hₜ = ∂L/∂yₜ + W_hhᵀ·(the pre-activation gradient of step t + 1); per step the pre-activation gradients give
    /// ∂L/∂W_ih += δₜ·xₜᵀ, ∂L/∂W_hh += δₜ·hₜ₋₁ᵀ, ∂L/∂b_ih += δₜ, ∂L/∂b_hh += δₜ (GRU: with r·… on the n block) and
    /// ∂L/∂xₜ = W_ihᵀ·δₜ (skipped when <paramref name="inputGradients"/> is empty). Gradients are <b>added</b>.
    /// </summary>
    public static void Backward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradients, Span<float> cache, Span<float> weightsIhGradients, Span<float> weightsHhGradients,
        Span<float> biasIhGradients, Span<float> biasHhGradients, Span<float> inputGradients, int steps, int inputs, int units)
    {
        int g = Gates(cell), h = units, th = steps * units;
        if (weightsIh.Length != g * h * inputs || weightsHh.Length != g * h * h || input.Length != steps * inputs
            || cache.Length < CacheLength(cell, steps, units) || weightsIhGradients.Length != g * h * inputs || weightsHhGradients.Length != g * h * h
            || biasIhGradients.Length != g * h || biasHhGradients.Length != g * h
            || !(inputGradients.IsEmpty || inputGradients.Length == steps * inputs) || !(outputGradients.Length == h || outputGradients.Length == th))
            throw new ArgumentException($"The spans do not fit a {cell} layer of {units} units over {steps} steps of {inputs} inputs.");
        bool sequences = outputGradients.Length == th;
        ReadOnlySpan<float> states = cache.Slice(0, th);
        switch (cell)
        {
            case Cell.Gru:
            {
                ReadOnlySpan<float> r = cache.Slice(th, th), z = cache.Slice(2 * th, th), n = cache.Slice(3 * th, th), hn = cache.Slice(4 * th, th);
                Span<float> dgi = cache.Slice(5 * th, 3 * h), dgh = cache.Slice(5 * th + 3 * h, 3 * h), dh = cache.Slice(5 * th + 6 * h, h);
                dh.Clear();
                for (int t = steps - 1; t >= 0; t--)
                {
                    int at = t * h;
                    for (int i = 0; i < h; i++)
                    {
                        // ∂L/∂hₜ = ∂L/∂yₜ + (what step t + 1 sent back through W_hh and z)
                        float d = dh[i] + (sequences ? outputGradients[at + i] : t == steps - 1 ? outputGradients[i] : 0f);
                        float previous = t > 0 ? states[at - h + i] : 0f;
                        float ri = r[at + i], zi = z[at + i], ni = n[at + i];
                        // h = (1 − z)·n + z·hₜ₋₁:  ∂n = ∂h·(1 − z), ∂z = ∂h·(hₜ₋₁ − n), ∂hₜ₋₁ (direct) = ∂h·z
                        float dn = d * (1f - zi) * (1f - ni * ni);         // through tanh
                        float dz = d * (previous - ni) * zi * (1f - zi);   // through σ
                        float dr = dn * hn[at + i] * ri * (1f - ri);       // n = tanh(gᵢn + r·gₕn)
                        dgi[i] = dr; dgi[h + i] = dz; dgi[2 * h + i] = dn;
                        dgh[i] = dr; dgh[h + i] = dz; dgh[2 * h + i] = dn * ri;
                        dh[i] = d * zi;
                    }
                    Step(weightsIh, weightsHh, input, states, dgi, dgh, weightsIhGradients, weightsHhGradients, biasIhGradients, biasHhGradients,
                        inputGradients, dh, t, inputs, h, 3 * h, accumulate: true);
                }
                break;
            }
            case Cell.Lstm:
            {
                ReadOnlySpan<float> cells = cache.Slice(th, th), gates = cache.Slice(2 * th, 4 * th);
                Span<float> dg = cache.Slice(6 * th, 4 * h), dh = cache.Slice(6 * th + 8 * h, h), dc = cache.Slice(6 * th + 9 * h, h);
                dh.Clear();
                dc.Clear();
                for (int t = steps - 1; t >= 0; t--)
                {
                    int at = t * h, gate = 4 * t * h;
                    for (int k = 0; k < h; k++)
                    {
                        float d = dh[k] + (sequences ? outputGradients[at + k] : t == steps - 1 ? outputGradients[k] : 0f);
                        float ig = gates[gate + k], fg = gates[gate + h + k], gg = gates[gate + 2 * h + k], og = gates[gate + 3 * h + k];
                        float tanhC = MathF.Tanh(cells[at + k]);
                        float previousCell = t > 0 ? cells[at - h + k] : 0f;
                        // h = o·tanh(c):  ∂c = ∂cₜ₊₁·fₜ₊₁ (carried in dc) + ∂h·o·(1 − tanh²c), ∂o = ∂h·tanh(c)
                        float dcell = dc[k] + d * og * (1f - tanhC * tanhC);
                        // c = f·cₜ₋₁ + i·g:  ∂i = ∂c·g, ∂f = ∂c·cₜ₋₁, ∂g = ∂c·i, ∂cₜ₋₁ = ∂c·f; then through σ, σ, tanh, σ
                        dg[k] = dcell * gg * ig * (1f - ig);
                        dg[h + k] = dcell * previousCell * fg * (1f - fg);
                        dg[2 * h + k] = dcell * ig * (1f - gg * gg);
                        dg[3 * h + k] = d * tanhC * og * (1f - og);
                        dc[k] = dcell * fg;
                    }
                    dh.Clear();
                    Step(weightsIh, weightsHh, input, states, dg, dg, weightsIhGradients, weightsHhGradients, biasIhGradients, biasHhGradients,
                        inputGradients, dh, t, inputs, h, 4 * h, accumulate: true);
                }
                break;
            }
            default:
            {
                Span<float> delta = cache.Slice(th, h), dh = cache.Slice(th + h, h);
                bool relu = cell == Cell.ElmanReLU;
                dh.Clear();
                for (int t = steps - 1; t >= 0; t--)
                {
                    int at = t * h;
                    for (int i = 0; i < h; i++)
                    {
                        // ∂L/∂hₜ = ∂L/∂yₜ + W_hhᵀ·δₜ₊₁;  δₜ = ∂L/∂hₜ ⊙ g′(zₜ), g′ from hₜ: tanh 1 − h², ReLU 1 where h > 0
                        float d = dh[i] + (sequences ? outputGradients[at + i] : t == steps - 1 ? outputGradients[i] : 0f);
                        float state = states[at + i];
                        delta[i] = relu ? (state > 0f ? d : 0f) : d * (1f - state * state);
                    }
                    Step(weightsIh, weightsHh, input, states, delta, delta, weightsIhGradients, weightsHhGradients, biasIhGradients, biasHhGradients,
                        inputGradients, dh, t, inputs, h, h, accumulate: false);
                }
                break;
            }
        }
    }

    /// <summary>
    /// One step's parameter and input gradients from its pre-activation gradients (<paramref name="inputSide"/> for the
    /// W_ih·x + b_ih terms, <paramref name="hiddenSide"/> for W_hh·h + b_hh): ∂L/∂W_ih += dᵢ·xₜᵀ, ∂L/∂b_ih += dᵢ,
    /// ∂L/∂xₜ = W_ihᵀ·dᵢ, ∂L/∂W_hh += dₕ·hₜ₋₁ᵀ, ∂L/∂b_hh += dₕ, and ∂L/∂hₜ₋₁ (+)= W_hhᵀ·dₕ into <paramref name="stateGradients"/>.
    /// </summary>
    private static void Step(ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> input, ReadOnlySpan<float> states,
        ReadOnlySpan<float> inputSide, ReadOnlySpan<float> hiddenSide, Span<float> weightsIhGradients, Span<float> weightsHhGradients,
        Span<float> biasIhGradients, Span<float> biasHhGradients, Span<float> inputGradients, Span<float> stateGradients,
        int t, int inputs, int h, int rows, bool accumulate)
    {
        DenseKernels.Backward(weightsIh, input.Slice(t * inputs, inputs), inputSide, weightsIhGradients, biasIhGradients,
            inputGradients.IsEmpty ? Span<float>.Empty : inputGradients.Slice(t * inputs, inputs), rows, inputs);
        if (t > 0)
        {
            DenseKernels.Backward(weightsHh, states.Slice((t - 1) * h, h), hiddenSide, weightsHhGradients, biasHhGradients, stateGradients, rows, h,
                accumulateInputGradients: accumulate);
        }
        else
        {
            // h₀ = 0 is a constant: W_hh gets no gradient from step 1, b_hh does.
            for (int i = 0; i < rows; i++) biasHhGradients[i] += hiddenSide[i];
        }
    }

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    private static void Check(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> input, Span<float> cache, int steps, int inputs, int units)
    {
        int g = Gates(cell) * units;
        if (steps < 1 || inputs < 1 || units < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), $"steps ({steps}), inputs ({inputs}) and units ({units}) must be at least 1.");
        if (weightsIh.Length != g * inputs || weightsHh.Length != g * units || biasIh.Length != g || biasHh.Length != g)
            throw new ArgumentException($"A {cell} layer of {units} units over {inputs} inputs needs W_ih [{g}×{inputs}], W_hh [{g}×{units}], b_ih and b_hh [{g}].");
        if (input.Length != steps * inputs)
            throw new ArgumentException($"input must hold {steps} steps of {inputs} values ({steps * inputs}); it has {input.Length}.", nameof(input));
        if (cache.Length < CacheLength(cell, steps, units))
            throw new ArgumentException($"cache must hold {CacheLength(cell, steps, units)} values for a {cell} layer; it has {cache.Length}.", nameof(cache));
    }
}
