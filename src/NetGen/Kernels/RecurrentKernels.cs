using System;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// Forward and backward-through-time kernels of the recurrent layers — Elman (PyTorch's <c>RNN</c>), <c>GRU</c> and
/// <c>LSTM</c> — over one sample's sequence of <c>steps</c> × <c>inputs</c> values, with PyTorch's equations, parameter
/// layout and gate order: W_ih [gates·H, inputs], W_hh [gates·H, H], b_ih [gates·H], b_hh [gates·H]; GRU gates r, z, n;
/// LSTM gates i, f, g, o; h₀ = 0 (and c₀ = 0). Generated code calls them with every size as a literal. The matrix-vector
/// products are <see cref="DenseBatchKernels"/>', the gates' σ and tanh <c>TensorPrimitives</c>'.
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
    /// The forward pass through time for one sample. Writes every state into the cache and into <paramref name="output"/>:
    /// all T states (T·H values, many-to-many) or the last one (H values, many-to-one).
    /// </summary>
    public static void Forward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> input, Span<float> output, Span<float> cache, int steps, int inputs, int units)
    {
        Check(cell, weightsIh, weightsHh, biasIh, biasHh, steps, inputs, units);
        if (input.Length != steps * inputs)
            throw new ArgumentException($"input must hold {steps} steps of {inputs} values ({steps * inputs}); it has {input.Length}.", nameof(input));
        if (output.Length != units && output.Length != steps * units)
            throw new ArgumentException($"output must hold the last state ({units} values) or every state ({steps * units}); it has {output.Length}.", nameof(output));
        if (cache.Length < CacheLength(cell, steps, units))
            throw new ArgumentException($"cache must hold {CacheLength(cell, steps, units)} values for a {cell} layer; it has {cache.Length}.", nameof(cache));
        BatchForward(cell, weightsIh, weightsHh, biasIh, biasHh, input, input.Length, output, output.Length, output.Length == steps * units,
            cache, cache.Length, 1, steps, inputs, units);
    }

    /// <summary>
    /// The forward pass through time for <paramref name="count"/> samples at once: sample b's input, output and cache start
    /// at b times their stride. Each step's products W_ih·xₜ and W_hh·hₜ₋₁ run over the whole batch as one register-tiled
    /// product (<see cref="DenseBatchKernels"/>: the batch's rows share every weight load); the gates are element-wise.
    /// </summary>
    public static void BatchForward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        ReadOnlySpan<float> input, int inputStride, Span<float> output, int outputStride, bool sequences, Span<float> cache, int cacheStride,
        int count, int steps, int inputs, int units)
    {
        Check(cell, weightsIh, weightsHh, biasIh, biasHh, steps, inputs, units);
        int h = units, th = steps * units, rows = Gates(cell) * units, outputWidth = sequences ? th : h;
        if (count < 1 || !Fits(input.Length, inputStride, count, steps * inputs) || !Fits(output.Length, outputStride, count, outputWidth)
            || !Fits(cache.Length, cacheStride, count, CacheLength(cell, steps, units)))
            throw new ArgumentException($"The spans do not hold {count} samples of a {cell} layer ({steps} steps, {inputs} inputs, {units} units) at their strides.");
        // Where the step temporaries gᵢ = W_ih·xₜ + b_ih and gₕ = W_hh·hₜ₋₁ + b_hh live in each sample's cache.
        int gi = cell switch { Cell.Gru => 5 * th, Cell.Lstm => 6 * th, _ => th + h }, gh = cell switch { Cell.Gru => 5 * th + 3 * h, Cell.Lstm => 6 * th + 4 * h, _ => th };
        for (int t = 0; t < steps; t++)
        {
            DenseBatchKernels.Forward(weightsIh, biasIh, input.Slice(t * inputs), inputStride, cache.Slice(gi), cacheStride, count, rows, inputs);
            if (t > 0)
                DenseBatchKernels.Forward(weightsHh, biasHh, cache.Slice((t - 1) * h), cacheStride, cache.Slice(gh), cacheStride, count, rows, h);
            else
                for (int b = 0; b < count; b++) biasHh.Slice(0, rows).CopyTo(cache.Slice(b * cacheStride + gh, rows));
            for (int b = 0; b < count; b++)
            {
                Span<float> c = cache.Slice(b * cacheStride, CacheLength(cell, steps, units));
                Span<float> gis = c.Slice(gi, rows), ghs = c.Slice(gh, rows);
                int at = t * h;
                Span<float> state = c.Slice(at, h);
                // The cell's element-wise work, H values at a time with TensorPrimitives' vectorised σ and tanh (per unit
                // and step these calls, not the products, were most of a recurrent layer's time with scalar MathF).
                switch (cell)
                {
                    case Cell.Gru:
                    {
                        // [r; z] = σ(gᵢ[r; z] + gₕ[r; z]), n = tanh(gᵢn + r ⊙ gₕn), h = (1 − z) ⊙ n + z ⊙ hₜ₋₁ = n + z ⊙ (hₜ₋₁ − n)
                        Span<float> r = c.Slice(th + at, h), z = c.Slice(2 * th + at, h), n = c.Slice(3 * th + at, h);
                        TensorPrimitives.Add(gis.Slice(0, 2 * h), ghs.Slice(0, 2 * h), gis.Slice(0, 2 * h));
                        TensorPrimitives.Sigmoid(gis.Slice(0, h), r);
                        TensorPrimitives.Sigmoid(gis.Slice(h, h), z);
                        ghs.Slice(2 * h, h).CopyTo(c.Slice(4 * th + at, h)); // gₕn, for ∂r in the backward pass
                        TensorPrimitives.FusedMultiplyAdd(r, ghs.Slice(2 * h, h), gis.Slice(2 * h, h), n);
                        TensorPrimitives.Tanh(n, n);
                        if (t > 0)
                            TensorPrimitives.Subtract(c.Slice(at - h, h), n, state);
                        else
                            TensorPrimitives.Negate(n, state);
                        TensorPrimitives.FusedMultiplyAdd(z, state, n, state);
                        break;
                    }
                    case Cell.Lstm:
                    {
                        // [i; f; g; o] = [σ; σ; tanh; σ](gᵢ + gₕ), c = f ⊙ cₜ₋₁ + i ⊙ g, h = o ⊙ tanh(c)
                        Span<float> gates = c.Slice(2 * th + 4 * t * h, 4 * h), cellState = c.Slice(th + at, h);
                        TensorPrimitives.Add(gis, ghs, gates);
                        TensorPrimitives.Sigmoid(gates.Slice(0, 2 * h), gates.Slice(0, 2 * h));
                        TensorPrimitives.Tanh(gates.Slice(2 * h, h), gates.Slice(2 * h, h));
                        TensorPrimitives.Sigmoid(gates.Slice(3 * h, h), gates.Slice(3 * h, h));
                        ReadOnlySpan<float> ig = gates.Slice(0, h), fg = gates.Slice(h, h), gg = gates.Slice(2 * h, h), og = gates.Slice(3 * h, h);
                        if (t > 0)
                        {
                            TensorPrimitives.Multiply(fg, c.Slice(th + at - h, h), cellState);
                            TensorPrimitives.FusedMultiplyAdd(ig, gg, cellState, cellState);
                        }
                        else
                            TensorPrimitives.Multiply(ig, gg, cellState);
                        TensorPrimitives.Tanh(cellState, state);
                        TensorPrimitives.Multiply(state, og, state);
                        break;
                    }
                    case Cell.ElmanReLU:
                        // zₜ = W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh, then hₜ = max(0, zₜ)
                        TensorPrimitives.Add(gis, ghs, state);
                        TensorPrimitives.Max(state, 0f, state);
                        break;
                    default:
                        // zₜ = W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh, then hₜ = tanh(zₜ)
                        TensorPrimitives.Add(gis, ghs, state);
                        TensorPrimitives.Tanh(state, state);
                        break;
                }
            }
        }
        for (int b = 0; b < count; b++)
            cache.Slice(b * cacheStride + (sequences ? 0 : th - h), outputWidth).CopyTo(output.Slice(b * outputStride, outputWidth));
    }

    /// <summary>
    /// Backpropagation through time for one sample, from t = T down to 1, given ∂L/∂output (every state's, or the last
    /// one's): ∂L/∂hₜ = ∂L/∂yₜ + W_hhᵀ·(the pre-activation gradient of step t + 1); per step the pre-activation gradients
    /// give ∂L/∂W_ih += δₜ·xₜᵀ, ∂L/∂W_hh += δₜ·hₜ₋₁ᵀ, ∂L/∂b_ih += δₜ, ∂L/∂b_hh += δₜ (GRU: with r·… on the n block) and
    /// ∂L/∂xₜ = W_ihᵀ·δₜ (skipped when <paramref name="inputGradients"/> is empty). Gradients are <b>added</b>.
    /// </summary>
    public static void Backward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> input,
        ReadOnlySpan<float> outputGradients, Span<float> cache, Span<float> weightsIhGradients, Span<float> weightsHhGradients,
        Span<float> biasIhGradients, Span<float> biasHhGradients, Span<float> inputGradients, int steps, int inputs, int units)
    {
        int th = steps * units;
        if (input.Length != steps * inputs || cache.Length < CacheLength(cell, steps, units)
            || !(inputGradients.IsEmpty || inputGradients.Length == steps * inputs) || !(outputGradients.Length == units || outputGradients.Length == th))
            throw new ArgumentException($"The spans do not fit a {cell} layer of {units} units over {steps} steps of {inputs} inputs.");
        BatchBackward(cell, weightsIh, weightsHh, input, input.Length, outputGradients, outputGradients.Length, outputGradients.Length == th, cache, cache.Length,
            weightsIhGradients, weightsHhGradients, biasIhGradients, biasHhGradients, inputGradients, inputGradients.Length, 1, steps, inputs, units);
    }

    /// <summary>
    /// Backpropagation through time for <paramref name="count"/> samples at once (strides as in <see cref="BatchForward"/>),
    /// adding the gradient of their summed losses: each step's ∂L/∂W and ∂L/∂b are summed over the batch in one tiled pass,
    /// and ∂L/∂xₜ and ∂L/∂hₜ₋₁ are the transposed products for every sample together.
    /// </summary>
    public static void BatchBackward(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> input, int inputStride,
        ReadOnlySpan<float> outputGradients, int outputGradientStride, bool sequences, Span<float> cache, int cacheStride,
        Span<float> weightsIhGradients, Span<float> weightsHhGradients, Span<float> biasIhGradients, Span<float> biasHhGradients,
        Span<float> inputGradients, int inputGradientStride, int count, int steps, int inputs, int units)
    {
        int g = Gates(cell), h = units, th = steps * units, rows = g * units, length = CacheLength(cell, steps, units);
        if (weightsIh.Length != rows * inputs || weightsHh.Length != rows * h || weightsIhGradients.Length != rows * inputs
            || weightsHhGradients.Length != rows * h || biasIhGradients.Length != rows || biasHhGradients.Length != rows || count < 1
            || !Fits(input.Length, inputStride, count, steps * inputs) || !Fits(outputGradients.Length, outputGradientStride, count, sequences ? th : h)
            || !Fits(cache.Length, cacheStride, count, length) || !(inputGradients.IsEmpty || Fits(inputGradients.Length, inputGradientStride, count, steps * inputs)))
            throw new ArgumentException($"The spans do not hold {count} samples of a {cell} layer of {units} units over {steps} steps of {inputs} inputs at their strides.");
        // Per sample: the input side's and the hidden side's pre-activation gradients, and ∂L/∂hₜ (and LSTM's ∂L/∂cₜ).
        int di = cell switch { Cell.Gru => 5 * th, Cell.Lstm => 6 * th, _ => th }, dhid = cell switch { Cell.Gru => 5 * th + 3 * h, Cell.Lstm => 6 * th, _ => th };
        int dh = cell switch { Cell.Gru => 5 * th + 6 * h, Cell.Lstm => 6 * th + 8 * h, _ => th + h }, dc = 6 * th + 9 * h;
        for (int b = 0; b < count; b++)
        {
            cache.Slice(b * cacheStride + dh, h).Clear();
            if (cell == Cell.Lstm) cache.Slice(b * cacheStride + dc, h).Clear();
        }
        for (int t = steps - 1; t >= 0; t--)
        {
            int at = t * h;
            for (int b = 0; b < count; b++)
            {
                Span<float> c = cache.Slice(b * cacheStride, length);
                ReadOnlySpan<float> dy = outputGradients.Slice(b * outputGradientStride, sequences ? th : h);
                switch (cell)
                {
                    case Cell.Gru:
                        for (int i = 0; i < h; i++)
                        {
                            // ∂L/∂hₜ = ∂L/∂yₜ + (what step t + 1 sent back through W_hh and z)
                            float d = c[dh + i] + (sequences ? dy[at + i] : t == steps - 1 ? dy[i] : 0f);
                            float previous = t > 0 ? c[at - h + i] : 0f;
                            float ri = c[th + at + i], zi = c[2 * th + at + i], ni = c[3 * th + at + i];
                            // h = (1 − z)·n + z·hₜ₋₁:  ∂n = ∂h·(1 − z), ∂z = ∂h·(hₜ₋₁ − n), ∂hₜ₋₁ (direct) = ∂h·z
                            float dn = d * (1f - zi) * (1f - ni * ni);         // through tanh
                            float dz = d * (previous - ni) * zi * (1f - zi);   // through σ
                            float dr = dn * c[4 * th + at + i] * ri * (1f - ri); // n = tanh(gᵢn + r·gₕn)
                            c[di + i] = dr; c[di + h + i] = dz; c[di + 2 * h + i] = dn;
                            c[dhid + i] = dr; c[dhid + h + i] = dz; c[dhid + 2 * h + i] = dn * ri;
                            c[dh + i] = d * zi;
                        }
                        break;
                    case Cell.Lstm:
                        // tanh(cₜ) for the step, vectorised, into the temporaries the forward pass used for gₕ
                        TensorPrimitives.Tanh(c.Slice(th + at, h), c.Slice(6 * th + 4 * h, h));
                        for (int k = 0; k < h; k++)
                        {
                            float d = c[dh + k] + (sequences ? dy[at + k] : t == steps - 1 ? dy[k] : 0f);
                            int gate = 2 * th + 4 * t * h;
                            float ig = c[gate + k], fg = c[gate + h + k], gg = c[gate + 2 * h + k], og = c[gate + 3 * h + k];
                            float tanhC = c[6 * th + 4 * h + k];
                            float previousCell = t > 0 ? c[th + at - h + k] : 0f;
                            // h = o·tanh(c):  ∂c = ∂cₜ₊₁·fₜ₊₁ (carried in dc) + ∂h·o·(1 − tanh²c), ∂o = ∂h·tanh(c)
                            float dcell = c[dc + k] + d * og * (1f - tanhC * tanhC);
                            // c = f·cₜ₋₁ + i·g:  ∂i = ∂c·g, ∂f = ∂c·cₜ₋₁, ∂g = ∂c·i, ∂cₜ₋₁ = ∂c·f; then through σ, σ, tanh, σ
                            c[di + k] = dcell * gg * ig * (1f - ig);
                            c[di + h + k] = dcell * previousCell * fg * (1f - fg);
                            c[di + 2 * h + k] = dcell * ig * (1f - gg * gg);
                            c[di + 3 * h + k] = d * tanhC * og * (1f - og);
                            c[dc + k] = dcell * fg;
                        }
                        c.Slice(dh, h).Clear(); // W_hhᵀ·δ is added below
                        break;
                    default:
                        bool relu = cell == Cell.ElmanReLU;
                        for (int i = 0; i < h; i++)
                        {
                            // ∂L/∂hₜ = ∂L/∂yₜ + W_hhᵀ·δₜ₊₁;  δₜ = ∂L/∂hₜ ⊙ g′(zₜ), g′ from hₜ: tanh 1 − h², ReLU 1 where h > 0
                            float d = c[dh + i] + (sequences ? dy[at + i] : t == steps - 1 ? dy[i] : 0f);
                            float state = c[at + i];
                            c[di + i] = relu ? (state > 0f ? d : 0f) : d * (1f - state * state);
                        }
                        break;
                }
            }
            // ∂L/∂W_ih += Σ_b dᵢ·xₜᵀ, ∂L/∂b_ih += Σ_b dᵢ, ∂L/∂xₜ = W_ihᵀ·dᵢ for every sample
            DenseBatchKernels.Backward(weightsIh, input.Slice(t * inputs), inputStride, cache.Slice(di), cacheStride, weightsIhGradients, biasIhGradients,
                inputGradients.IsEmpty ? Span<float>.Empty : inputGradients.Slice(t * inputs), inputGradientStride, count, rows, inputs);
            if (t > 0)
            {
                // ∂L/∂W_hh += Σ_b dₕ·hₜ₋₁ᵀ, ∂L/∂b_hh += Σ_b dₕ, and ∂L/∂hₜ₋₁ (+)= W_hhᵀ·dₕ (GRU adds to its direct path)
                DenseBatchKernels.Backward(weightsHh, cache.Slice((t - 1) * h), cacheStride, cache.Slice(dhid), cacheStride, weightsHhGradients, biasHhGradients,
                    cache.Slice(dh), cacheStride, count, rows, h, accumulateInputGradients: cell is Cell.Gru or Cell.Lstm);
            }
            else
            {
                // h₀ = 0 is a constant: W_hh gets no gradient from step 1, b_hh does.
                for (int b = 0; b < count; b++)
                    for (int i = 0; i < rows; i++) biasHhGradients[i] += cache[b * cacheStride + dhid + i];
            }
        }
    }

    private static bool Fits(int length, int stride, int count, int width) =>
        count >= 1 && stride >= width && (long)(count - 1) * stride + width <= length;


    private static void Check(Cell cell, ReadOnlySpan<float> weightsIh, ReadOnlySpan<float> weightsHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh,
        int steps, int inputs, int units)
    {
        int g = Gates(cell) * units;
        if (steps < 1 || inputs < 1 || units < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), $"steps ({steps}), inputs ({inputs}) and units ({units}) must be at least 1.");
        if (weightsIh.Length != g * inputs || weightsHh.Length != g * units || biasIh.Length != g || biasHh.Length != g)
            throw new ArgumentException($"A {cell} layer of {units} units over {inputs} inputs needs W_ih [{g}×{inputs}], W_hh [{g}×{units}], b_ih and b_hh [{g}].");
    }
}
