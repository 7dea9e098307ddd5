using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static NetGen.OptimizerState;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay — PyTorch's <c>torch.optim.SGD</c>
/// update, with its defaults:
/// <code>
/// g ← g + λ·θ                                  (weight decay λ)
/// b ← g on the first step, else μ·b + (1 − τ)·g   (momentum μ, dampening τ)
/// g ← g + μ·b  (Nesterov)   or   g ← b  (classical momentum)
/// θ ← θ − η·g
/// </code>
/// Without momentum this is θ ← θ − η·g. Vectorised; allocates only the momentum buffer, on the first step, and flushes
/// it to zero below 1e-30 (μ·b of a parameter whose gradient is exactly zero would otherwise settle on a subnormal float).
/// </summary>
public sealed class Sgd : OptimizerBase
{

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η; PyTorch's default 0.001.</param>
    /// <param name="momentum">μ in [0, 1); 0 turns momentum off (the default).</param>
    /// <param name="dampening">τ in [0, 1): scales the new gradient's share of the momentum buffer by 1 − τ. Default 0.</param>
    /// <param name="weightDecay">λ ≥ 0: adds λ·θ to every gradient (an L2 penalty of λ/2·‖θ‖² on all parameters, biases
    /// included, as in PyTorch). For weights only, use <see cref="Trainer{TNetwork}.L2"/>.</param>
    /// <param name="nesterov">Uses Nesterov momentum; needs μ &gt; 0 and τ = 0.</param>
    public Sgd(float learningRate = 1e-3f, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(learningRate, "0.01", bufferCount: 1)
    {
        Momentum = OptimizerState.UnitInterval(momentum, nameof(momentum), "0.9");
        Dampening = OptimizerState.UnitInterval(dampening, nameof(dampening), "0");
        WeightDecay = OptimizerState.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum == 0f || dampening != 0f))
            throw new ArgumentException("Nesterov momentum needs a momentum above 0 and a dampening of 0, e.g. new Sgd(0.01f, momentum: 0.9f, nesterov: true).", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>μ, the momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>τ, the dampening of the momentum buffer.</summary>
    public float Dampening { get; }

    /// <summary>λ, the (coupled) weight decay.</summary>
    public float WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    private protected override string Kind => nameof(Sgd);

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        float lr = LearningRate, wd = WeightDecay, mu = Momentum, keep = 1f - Dampening;

        if (mu == 0f)
        {
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var theta = Load(ref p, i);
                    var grad = Load(ref g, i) + theta * wd;
                    Store(theta - grad * lr, ref p, i);
                }
            for (; i < n; i++)
            {
                float grad = Unsafe.Add(ref g, i) + Unsafe.Add(ref p, i) * wd;
                Unsafe.Add(ref p, i) -= grad * lr;
            }
            return;
        }

        ref float b = ref MemoryMarshal.GetArrayDataReference(Buffer(0, n));
        // The first step seeds the buffer with the gradient itself (b₁ = g₁), as PyTorch does.
        float decay = step > 1 ? mu : 0f, share = step > 1 ? keep : 1f;
        bool nesterov = Nesterov;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
            for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
            {
                var theta = Load(ref p, j);
                var grad = Load(ref g, j) + theta * wd;
                var buffer = Flush(Load(ref b, j) * decay + grad * share);
                Store(buffer, ref b, j);
                var direction = nesterov ? grad + buffer * mu : buffer;
                Store(theta - direction * lr, ref p, j);
            }
        for (; j < n; j++)
        {
            float theta = Unsafe.Add(ref p, j);
            float grad = Unsafe.Add(ref g, j) + theta * wd;
            float buffer = Flush(Unsafe.Add(ref b, j) * decay + grad * share);
            Unsafe.Add(ref b, j) = buffer;
            float direction = nesterov ? grad + buffer * mu : buffer;
            Unsafe.Add(ref p, j) = theta - direction * lr;
        }
    }

}
