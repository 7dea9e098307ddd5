using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static NetGen.OptimizerState;

namespace NetGen;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) — PyTorch's <c>torch.optim.Adam</c> update, with its defaults. At step t:
/// <code>
/// g ← g + λ·θ                      (coupled L2 weight decay; see <see cref="AdamW"/> for the decoupled form)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// Vectorised and fused into one pass; m and v are flushed to zero below 1e-30 so that parameters whose gradient is
/// exactly zero (dead ReLUs, blank pixels) never drive them into slow subnormal floats.
/// </summary>
public class Adam : OptimizerBase
{

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η; PyTorch's default 0.001.</param>
    /// <param name="beta1">β₁ in [0, 1), the decay of the first moment. Default 0.9.</param>
    /// <param name="beta2">β₂ in [0, 1), the decay of the second moment. Default 0.999.</param>
    /// <param name="epsilon">ε &gt; 0. Default 1e-8.</param>
    /// <param name="weightDecay">λ ≥ 0, added as λ·θ to every gradient. Default 0.</param>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate, "0.001", bufferCount: 2)
    {
        Beta1 = UnitInterval(beta1, nameof(beta1), "0.9");
        Beta2 = UnitInterval(beta2, nameof(beta2), "0.999");
        Epsilon = Positive(epsilon, nameof(epsilon), "1e-8");
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>β₁, the decay of the first-moment average.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay of the second-moment average.</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to the denominator.</summary>
    public float Epsilon { get; }

    /// <summary>λ, the weight decay (coupled for <see cref="Adam"/>, decoupled for <see cref="AdamW"/>).</summary>
    public float WeightDecay { get; }

    /// <summary>Whether λ is applied to θ directly (AdamW) rather than added to the gradient (Adam).</summary>
    private protected virtual bool Decoupled => false;

    private protected override string Kind => Decoupled ? nameof(AdamW) : nameof(Adam);

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        float[] first = Buffer(0, n), second = Buffer(1, n);
        // Bias corrections in double: β₂ᵗ must not round to 1 − tiny for the first thousands of steps.
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        float stepSize = (float)(LearningRate / correction1);
        float inverseRootCorrection2 = (float)(1 / Math.Sqrt(correction2));
        float b1 = Beta1, b2 = Beta2, oneMinusB1 = 1f - Beta1, oneMinusB2 = 1f - Beta2, eps = Epsilon;
        // Adam: g + λθ. AdamW: θ·(1 − ηλ) first, gradient untouched.
        float coupled = Decoupled ? 0f : WeightDecay;
        float shrink = Decoupled ? 1f - LearningRate * WeightDecay : 1f;
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float m = ref MemoryMarshal.GetArrayDataReference(first);
        ref float v = ref MemoryMarshal.GetArrayDataReference(second);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var theta = Load(ref p, i);
                var grad = Load(ref g, i) + theta * coupled;
                var mi = Flush(Load(ref m, i) * b1 + grad * oneMinusB1);
                var vi = Flush(Load(ref v, i) * b2 + grad * grad * oneMinusB2);
                Store(mi, ref m, i);
                Store(vi, ref v, i);
                var denominator = Vector.SquareRoot(vi) * inverseRootCorrection2 + new Vector<float>(eps);
                Store(theta * shrink - mi * stepSize / denominator, ref p, i);
            }
        for (; i < n; i++)
        {
            float theta = Unsafe.Add(ref p, i);
            float grad = Unsafe.Add(ref g, i) + theta * coupled;
            float mi = Flush(Unsafe.Add(ref m, i) * b1 + grad * oneMinusB1);
            float vi = Flush(Unsafe.Add(ref v, i) * b2 + grad * grad * oneMinusB2);
            Unsafe.Add(ref m, i) = mi;
            Unsafe.Add(ref v, i) = vi;
            float denominator = MathF.Sqrt(vi) * inverseRootCorrection2 + eps;
            Unsafe.Add(ref p, i) = theta * shrink - mi * stepSize / denominator;
        }
    }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019) — PyTorch's <c>torch.optim.AdamW</c>: Adam with decoupled weight decay, applied to
/// the parameters rather than mixed into the gradient:
/// <code>
/// θ ← θ·(1 − η·λ)
/// then the <see cref="Adam"/> update with the raw gradient g
/// </code>
/// PyTorch's defaults, including λ = 0.01.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η; default 0.001.</param>
    /// <param name="beta1">β₁; default 0.9.</param>
    /// <param name="beta2">β₂; default 0.999.</param>
    /// <param name="epsilon">ε; default 1e-8.</param>
    /// <param name="weightDecay">λ ≥ 0, the decoupled decay; default 0.01.</param>
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    private protected override bool Decoupled => true;
}
