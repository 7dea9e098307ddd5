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

    /// <summary>The loss formula over n outputs (a single output drops the sum and the 1/n).</summary>
    public static string Math(LossKind loss, int n) => (loss, n == 1) switch
    {
        (LossKind.MeanSquaredError, true) => "L = (a − y)²",
        (LossKind.MeanSquaredError, false) => $"L = (1/{n})·Σᵢ (aᵢ − yᵢ)²",
        (LossKind.MeanAbsoluteError, true) => "L = |a − y|",
        (LossKind.MeanAbsoluteError, false) => $"L = (1/{n})·Σᵢ |aᵢ − yᵢ|",
        (LossKind.BinaryCrossEntropy, true) => "L = −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))] = max(z, 0) − z·y + ln(1 + e^(−|z|))",
        (LossKind.BinaryCrossEntropy, false) => $"L = (1/{n})·Σᵢ −[yᵢ·ln σ(zᵢ) + (1 − yᵢ)·ln(1 − σ(zᵢ))] = (1/{n})·Σᵢ [max(zᵢ, 0) − zᵢ·yᵢ + ln(1 + e^(−|zᵢ|))]",
        (LossKind.CrossEntropy, _) => "L = −Σᵢ yᵢ·ln softmax(z)ᵢ = Σᵢ yᵢ·(logsumexp(z) − zᵢ), logsumexp(z) = max + ln Σⱼ e^(zⱼ − max)",
        _ => "",
    };

    /// <summary>The gradient the loss starts the backward pass with.</summary>
    public static string GradientMath(LossKind loss, int n) => (loss, n == 1) switch
    {
        (LossKind.MeanSquaredError, true) => "∂L/∂a = 2·(a − y)",
        (LossKind.MeanSquaredError, false) => $"∂L/∂aᵢ = (2/{n})·(aᵢ − yᵢ)",
        (LossKind.MeanAbsoluteError, true) => "∂L/∂a = sign(a − y), taken as 0 where a = y",
        (LossKind.MeanAbsoluteError, false) => $"∂L/∂aᵢ = sign(aᵢ − yᵢ)/{n}, taken as 0 where aᵢ = yᵢ",
        (LossKind.BinaryCrossEntropy, true) => "δ = ∂L/∂z = σ(z) − y: σ'(z) = a·(1 − a) cancels the loss's 1/(a·(1 − a))",
        (LossKind.BinaryCrossEntropy, false) => $"δᵢ = ∂L/∂zᵢ = (σ(zᵢ) − yᵢ)/{n}: σ'(z) = a·(1 − a) cancels the loss's 1/(a·(1 − a))",
        (LossKind.CrossEntropy, _) => "δᵢ = ∂L/∂zᵢ = softmax(z)ᵢ·Σⱼ yⱼ − yᵢ (= aᵢ − yᵢ when the targets sum to 1)",
        _ => "",
    };
}
