using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static NetGen.OptimizerState;

namespace NetGen;

/// <summary>
/// RMSProp (Hinton, 2012) — PyTorch's <c>torch.optim.RMSprop</c> update, with its defaults:
/// <code>
/// g ← g + λ·θ
/// v ← α·v + (1 − α)·g²
/// centered:  ḡ ← α·ḡ + (1 − α)·g;  d ← √max(v − ḡ², 0) + ε   otherwise d ← √v + ε
/// momentum:  b ← μ·b + g/d;  θ ← θ − η·b                    otherwise θ ← θ − η·g/d
/// </code>
/// Vectorised; the running averages are flushed to zero below 1e-30 so they never turn subnormal.
/// </summary>
public sealed class RmsProp : OptimizerBase
{

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η; PyTorch's default 0.01.</param>
    /// <param name="alpha">α in [0, 1), the decay of the squared-gradient average. Default 0.99.</param>
    /// <param name="epsilon">ε &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">λ ≥ 0, added as λ·θ to every gradient. Default 0.</param>
    /// <param name="momentum">μ in [0, 1). Default 0.</param>
    /// <param name="centered">Divides by an estimate of the gradient's variance instead of its raw second moment.</param>
    public RmsProp(float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f, bool centered = false)
        : base(learningRate, "0.01", bufferCount: 3)
    {
        Alpha = UnitInterval(alpha, nameof(alpha), "0.99");
        Epsilon = Positive(epsilon, nameof(epsilon), "1e-8");
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Momentum = UnitInterval(momentum, nameof(momentum), "0.9");
        Centered = centered;
    }

    /// <summary>α, the decay of the running averages.</summary>
    public float Alpha { get; }

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>λ, the (coupled) weight decay.</summary>
    public float WeightDecay { get; }

    /// <summary>μ, the momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update is centered.</summary>
    public bool Centered { get; }

    private protected override string Kind => nameof(RmsProp);

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        float[] square = Buffer(0, n);
        // Unused state points at the square buffer so the loop needs no null checks; it is never written then.
        float[] mean = Centered ? Buffer(1, n) : square;
        float[] buffer = Momentum > 0f ? Buffer(2, n) : square;
        float lr = LearningRate, wd = WeightDecay, a = Alpha, oneMinusA = 1f - Alpha, eps = Epsilon, mu = Momentum;
        bool centered = Centered, momentum = Momentum > 0f;
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float v = ref MemoryMarshal.GetArrayDataReference(square);
        ref float m = ref MemoryMarshal.GetArrayDataReference(mean);
        ref float b = ref MemoryMarshal.GetArrayDataReference(buffer);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var theta = Load(ref p, i);
                var grad = Load(ref g, i) + theta * wd;
                var sq = Flush(Load(ref v, i) * a + grad * grad * oneMinusA);
                Store(sq, ref v, i);
                Vector<float> denominator;
                if (centered)
                {
                    var avg = Flush(Load(ref m, i) * a + grad * oneMinusA);
                    Store(avg, ref m, i);
                    // max(v − ḡ², 0): flushing can zero v while ḡ² is still a tiny positive number.
                    denominator = Vector.SquareRoot(Vector.Max(sq - avg * avg, Vector<float>.Zero)) + new Vector<float>(eps);
                }
                else
                {
                    denominator = Vector.SquareRoot(sq) + new Vector<float>(eps);
                }
                if (momentum)
                {
                    var buf = Flush(Load(ref b, i) * mu + grad / denominator);
                    Store(buf, ref b, i);
                    Store(theta - buf * lr, ref p, i);
                }
                else
                {
                    Store(theta - grad / denominator * lr, ref p, i);
                }
            }
        for (; i < n; i++)
        {
            float theta = Unsafe.Add(ref p, i);
            float grad = Unsafe.Add(ref g, i) + theta * wd;
            float sq = Flush(Unsafe.Add(ref v, i) * a + grad * grad * oneMinusA);
            Unsafe.Add(ref v, i) = sq;
            float denominator;
            if (centered)
            {
                float avg = Flush(Unsafe.Add(ref m, i) * a + grad * oneMinusA);
                Unsafe.Add(ref m, i) = avg;
                denominator = MathF.Sqrt(MathF.Max(sq - avg * avg, 0f)) + eps;
            }
            else
            {
                denominator = MathF.Sqrt(sq) + eps;
            }
            if (momentum)
            {
                float buf = Flush(Unsafe.Add(ref b, i) * mu + grad / denominator);
                Unsafe.Add(ref b, i) = buf;
                Unsafe.Add(ref p, i) = theta - buf * lr;
            }
            else
            {
                Unsafe.Add(ref p, i) = theta - grad / denominator * lr;
            }
        }
    }
}
