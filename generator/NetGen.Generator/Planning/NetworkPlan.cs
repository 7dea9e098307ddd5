using System.Collections.Generic;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>One dense layer lowered to concrete sizes, buffer offsets and a code shape.</summary>
internal sealed class LayerPlan
{
    /// <summary>1-based layer number, as in W1, z1, δ1.</summary>
    public int Number { get; init; }
    public int Inputs { get; init; }
    public int Units { get; init; }
    public ActivationKind Activation { get; init; }
    public float NegativeSlope { get; init; }
    public int WeightOffset { get; init; }
    public int BiasOffset { get; init; }

    /// <summary>Offset of the PReLU slopes αˡ (one per unit, after the biases), or −1 when the layer has none.</summary>
    public int SlopeOffset { get; init; } = -1;
    public bool HasSlopes => SlopeOffset >= 0;

    /// <summary>a = g(z) + x: the layer's input is added to its output (units = inputs).</summary>
    public bool Residual { get; init; }

    /// <summary>Batch normalization of z: ε (0 when the layer has none) and the running averages' momentum.</summary>
    public float BatchNormEpsilon { get; init; }
    public float BatchNormMomentum { get; init; }
    public bool HasBatchNorm => BatchNormEpsilon > 0f;

    /// <summary>Offsets of γ, β, the running mean and the running variance (after the biases), when <see cref="HasBatchNorm"/>.</summary>
    public int GammaOffset { get; init; }
    public int BetaOffset => GammaOffset + Units;
    public int MeanOffset => GammaOffset + 2 * Units;
    public int VarianceOffset => GammaOffset + 3 * Units;

    /// <summary>Offset of y = BN(z) in the scratch, when <see cref="HasBatchNorm"/>.</summary>
    public int YOffset { get; init; }

    /// <summary>The dropout rate p on this layer's input in training mode (0: none).</summary>
    public float InputDropout { get; init; }
    public bool HasInputDropout => InputDropout > 0f;

    /// <summary>Offsets of the dropout mask and the dropped input in the training scratch (layered shape, when <see cref="HasInputDropout"/>).</summary>
    public int MaskOffset { get; init; }
    public int DroppedOffset { get; init; }
    public int WeightCount => Inputs * Units;
    public bool IsFirst { get; init; }
    public bool IsOutput { get; init; }

    /// <summary>True: straight-line code with one statement per output; false: SIMD loop kernels.</summary>
    public bool Unrolled { get; init; }

    /// <summary>Offsets of zˡ, aˡ and δˡ in the scratch buffer (layered shape only).</summary>
    public int ZOffset { get; init; }
    public int AOffset { get; init; }
    public int DeltaOffset { get; init; }

    /// <summary>Forward FLOPs per sample: a multiply-add counts 2, plus one add per bias.</summary>
    public long ForwardFlops => 2L * Inputs * Units + Units;

    /// <summary>Backward FLOPs per sample: ∂L/∂W (2 per weight), ∂L/∂b, and ∂L/∂x except for the first layer.</summary>
    public long BackwardFlops => 2L * Inputs * Units + Units + (IsFirst ? 0 : 2L * Inputs * Units);
}

/// <summary>A network lowered for emission.</summary>
internal sealed class NetworkPlan
{
    public NetworkPlan(NetworkSpec spec, IReadOnlyList<LayerPlan> layers, int parameterCount, bool straightLine, int forwardScratchLength, int scratchLength, string shapeReason, int trainingScratchLength)
    {
        TrainingScratchLength = trainingScratchLength;
        Spec = spec;
        Layers = layers;
        ParameterCount = parameterCount;
        StraightLine = straightLine;
        ForwardScratchLength = forwardScratchLength;
        ScratchLength = scratchLength;
        ShapeReason = shapeReason;
    }

    public NetworkSpec Spec { get; }
    public IReadOnlyList<LayerPlan> Layers { get; }
    public LayerPlan Output => Layers[Layers.Count - 1];
    public int ParameterCount { get; }

    /// <summary>
    /// True: each public method is one straight-line body with every value in a local. False ("layered"): each layer
    /// has its own forward and backward methods working on scratch spans.
    /// </summary>
    public bool StraightLine { get; }

    /// <summary>Floats of scratch a forward pass needs in the layered shape: z and a of every layer.</summary>
    public int ForwardScratchLength { get; }

    /// <summary>Floats of scratch Backward needs in the layered shape: z and a, then δ, of every layer.</summary>
    public int ScratchLength { get; }

    /// <summary>Floats of scratch training mode needs: <see cref="ScratchLength"/> plus a mask and a dropped copy per dropout.</summary>
    public int TrainingScratchLength { get; }

    /// <summary>True when some layer batch-normalizes: training needs the whole mini-batch at once.</summary>
    public bool HasBatchNorm
    {
        get
        {
            foreach (var layer in Layers)
                if (layer.HasBatchNorm) return true;
            return false;
        }
    }

    /// <summary>True when some layer has dropout on its input, so training mode differs from inference mode.</summary>
    public bool HasDropout => TrainingScratchLength > ScratchLength;

    public bool ScratchOnStack => TrainingScratchLength <= CodeShape.StackScratchMaxFloats;

    /// <summary>Why this shape was chosen, in words, for the generated file's header.</summary>
    public string ShapeReason { get; }

    public int InputSize => Spec.Inputs;
    public int OutputSize => Output.Units;

    /// <summary>True when the loss is fused with the output activation and yields δ = ∂L/∂z directly.</summary>
    public bool LossGivesDelta => Spec.Loss is LossKind.CrossEntropy or LossKind.BinaryCrossEntropy;
}
