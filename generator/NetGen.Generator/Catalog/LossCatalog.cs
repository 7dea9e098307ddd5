using NetGen.Generator.Model;

namespace NetGen.Generator.Catalog;

/// <summary>Names and formulas of the losses, for comments and the summary.</summary>
internal static class LossCatalog
{
    public static string Name(LossKind loss) => loss switch
    {
        LossKind.MeanSquaredError => "mean squared error",
        LossKind.MeanAbsoluteError => "mean absolute error",
        LossKind.BinaryCrossEntropy => "binary cross-entropy (from logits)",
        LossKind.CrossEntropy => "cross-entropy (fused with softmax)",
        _ => loss.ToString(),
    };

    /// <summary>The loss formula over n outputs.</summary>
    public static string Math(LossKind loss, int n) => loss switch
    {
        LossKind.MeanSquaredError => $"L = (1/{n})·Σᵢ (aᵢ − yᵢ)²",
        LossKind.MeanAbsoluteError => $"L = (1/{n})·Σᵢ |aᵢ − yᵢ|",
        LossKind.BinaryCrossEntropy => $"L = (1/{n})·Σᵢ −[yᵢ·ln σ(zᵢ) + (1 − yᵢ)·ln(1 − σ(zᵢ))] = (1/{n})·Σᵢ [max(zᵢ, 0) − zᵢ·yᵢ + ln(1 + e^(−|zᵢ|))]",
        LossKind.CrossEntropy => "L = −Σᵢ yᵢ·ln softmax(z)ᵢ = Σᵢ yᵢ·(logsumexp(z) − zᵢ), logsumexp(z) = max + ln Σⱼ e^(zⱼ − max)",
        _ => "",
    };

    /// <summary>The gradient the loss starts the backward pass with.</summary>
    public static string GradientMath(LossKind loss, int n) => loss switch
    {
        LossKind.MeanSquaredError => $"∂L/∂aᵢ = (2/{n})·(aᵢ − yᵢ)",
        LossKind.MeanAbsoluteError => $"∂L/∂aᵢ = sign(aᵢ − yᵢ)/{n}, taken as 0 where aᵢ = yᵢ",
        LossKind.BinaryCrossEntropy => $"δᵢ = ∂L/∂zᵢ = (σ(zᵢ) − yᵢ)/{n}: σ'(z) = a·(1 − a) cancels the loss's 1/(a·(1 − a))",
        LossKind.CrossEntropy => "δᵢ = ∂L/∂zᵢ = softmax(z)ᵢ·Σⱼ yⱼ − yᵢ (= aᵢ − yᵢ when the targets sum to 1)",
        _ => "",
    };
}
