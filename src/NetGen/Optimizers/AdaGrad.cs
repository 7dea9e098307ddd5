using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static NetGen.OptimizerState;

namespace NetGen;

/// <summary>
/// AdaGrad (Duchi, Hazan &amp; Singer, 2011) — PyTorch's <c>torch.optim.Adagrad</c> update, with its defaults. At step t:
/// <code>
/// g ← g + λ·θ
/// η̃ ← η / (1 + (t − 1)·decay)
/// s ← s + g²
/// θ ← θ − η̃ · g / (√s + ε)
/// </code>
/// Each parameter's step shrinks with the sum of its squared gradients. Vectorised; the sum is flushed to zero below 1e-30.
/// </summary>
public sealed class AdaGrad : OptimizerBase
{

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">η; PyTorch's default 0.01.</param>
    /// <param name="learningRateDecay">decay ≥ 0 in η / (1 + (t − 1)·decay). Default 0.</param>
    /// <param name="weightDecay">λ ≥ 0, added as λ·θ to every gradient. Default 0.</param>
    /// <param name="initialAccumulatorValue">The starting value of s. Default 0.</param>
    /// <param name="epsilon">ε &gt; 0 in the denominator. Default 1e-10.</param>
    public AdaGrad(float learningRate = 0.01f, float learningRateDecay = 0f, float weightDecay = 0f, float initialAccumulatorValue = 0f, float epsilon = 1e-10f)
        : base(learningRate, "0.01", bufferCount: 1)
    {
        LearningRateDecay = NonNegative(learningRateDecay, nameof(learningRateDecay));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = Positive(epsilon, nameof(epsilon), "1e-10");
    }

    /// <summary>The learning-rate decay per step.</summary>
    public float LearningRateDecay { get; }

    /// <summary>λ, the (coupled) weight decay.</summary>
    public float WeightDecay { get; }

    /// <summary>The starting value of the squared-gradient sum.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>ε, added to √s.</summary>
    public float Epsilon { get; }

    private protected override string Kind => nameof(AdaGrad);

    private protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, long step)
    {
        int n = parameters.Length;
        bool first = Buffers[0] is null;
        float[] sum = Buffer(0, n);
        if (first && InitialAccumulatorValue != 0f)
            sum.AsSpan().Fill(InitialAccumulatorValue);
        float lr = (float)(LearningRate / (1.0 + (step - 1) * (double)LearningRateDecay));
        float wd = WeightDecay, eps = Epsilon;
        ref float p = ref MemoryMarshal.GetReference(parameters);
        ref float g = ref MemoryMarshal.GetReference(gradients);
        ref float s = ref MemoryMarshal.GetArrayDataReference(sum);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var theta = Load(ref p, i);
                var grad = Load(ref g, i) + theta * wd;
                var acc = Flush(Load(ref s, i) + grad * grad);
                Store(acc, ref s, i);
                Store(theta - grad * lr / (Vector.SquareRoot(acc) + new Vector<float>(eps)), ref p, i);
            }
        for (; i < n; i++)
        {
            float theta = Unsafe.Add(ref p, i);
            float grad = Unsafe.Add(ref g, i) + theta * wd;
            float acc = Flush(Unsafe.Add(ref s, i) + grad * grad);
            Unsafe.Add(ref s, i) = acc;
            Unsafe.Add(ref p, i) = theta - grad * lr / (MathF.Sqrt(acc) + eps);
        }
    }
}
