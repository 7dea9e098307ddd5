using System.Globalization;
using NetGen.Generator.Model;

namespace NetGen.Generator.Catalog;

/// <summary>
/// Every activation's forward expression and derivative, in one place. Adding an activation means adding its entry
/// here (and its reference implementation and gradient check in the tests). Softmax is a vector function and is written
/// as a block by <see cref="Ops.ActivationOp"/>; it is only ever fused with cross-entropy, so it needs no standalone derivative.
/// </summary>
internal static class ActivationCatalog
{
    public const string Math = "global::System.MathF";

    /// <summary>The name used in comments and the summary, e.g. <c>tanh</c>, <c>LeakyReLU(α = 0.2)</c>.</summary>
    public static string Name(ActivationKind kind, float slope) => kind switch
    {
        ActivationKind.Identity => "identity",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.Tanh => "tanh",
        ActivationKind.ReLU => "ReLU",
        ActivationKind.LeakyReLU => "LeakyReLU(α = " + slope.ToString("R", CultureInfo.InvariantCulture) + ")",
        ActivationKind.Softmax => "softmax",
        ActivationKind.PReLU => "PReLU",
        ActivationKind.ELU => "ELU",
        ActivationKind.Softplus => "softplus",
        ActivationKind.SiLU => "SiLU",
        ActivationKind.Step => "step",
        _ => kind.ToString(),
    };

    /// <summary>The formula of g for a comment, in the names of the values: <c>a¹ = tanh(z¹)</c>.</summary>
    public static string ForwardMath(ActivationKind kind, float slope, string a, string z) => kind switch
    {
        ActivationKind.Identity => $"{a} = {z}",
        ActivationKind.Sigmoid => $"{a} = σ({z}) = 1 / (1 + e^(−{z}))",
        ActivationKind.Tanh => $"{a} = tanh({z})",
        ActivationKind.ReLU => $"{a} = max({z}, 0)",
        ActivationKind.LeakyReLU => $"{a} = {z} where {z} > 0, else " + Literals.Math(slope) + $"·{z}",
        ActivationKind.Softmax => $"{a}ᵢ = e^({z}ᵢ − max) / Σⱼ e^({z}ⱼ − max), max = maxⱼ {z}ⱼ so that no exponent overflows",
        ActivationKind.PReLU => $"{a}ᵢ = {z}ᵢ where {z}ᵢ > 0, else αᵢ·{z}ᵢ (αᵢ learned)",
        ActivationKind.ELU => $"{a} = {z} where {z} > 0, else e^{z} − 1",
        ActivationKind.Softplus => $"{a} = ln(1 + e^{z}) = max({z}, 0) + ln(1 + e^(−|{z}|))",
        ActivationKind.SiLU => $"{a} = {z}·σ({z}) = {z} / (1 + e^(−{z}))",
        ActivationKind.Step => $"{a} = H({z}) = 1 where {z} ≥ 0, else 0 (the perceptron's Heaviside step)",
        _ => "",
    };

    /// <summary>
    /// The C# expression of g applied to the expression <paramref name="z"/> (an element-wise activation).
    /// <paramref name="alpha"/> is the C# expression of a PReLU unit's slope (unused otherwise).
    /// </summary>
    public static string Forward(ActivationKind kind, float slope, string z, string alpha = "") => kind switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Sigmoid => $"1f / (1f + {Math}.Exp(-{z}))",
        ActivationKind.Tanh => $"{Math}.Tanh({z})",
        ActivationKind.ReLU => $"{Math}.Max({z}, 0f)",
        ActivationKind.LeakyReLU => $"{z} > 0f ? {z} : {Literals.Float(slope)} * {z}",
        ActivationKind.PReLU => $"{z} > 0f ? {z} : {alpha} * {z}",
        ActivationKind.ELU => $"{z} > 0f ? {z} : {Math}.Exp({z}) - 1f",
        ActivationKind.Softplus => $"{Math}.Max({z}, 0f) + {Math}.Log(1f + {Math}.Exp(-{Math}.Abs({z})))",
        ActivationKind.SiLU => $"{z} / (1f + {Math}.Exp(-{z}))",
        ActivationKind.Step => $"{z} >= 0f ? 1f : 0f",
        _ => z, // Softmax is emitted as a block by the emitter.
    };

    /// <summary>The derivative for a comment, in the names of the values: <c>tanh'(z¹) = 1 − (a¹)²</c>.</summary>
    public static string DerivativeMath(ActivationKind kind, float slope, string a, string z) => kind switch
    {
        ActivationKind.Identity => $"g'({z}) = 1",
        ActivationKind.Sigmoid => $"σ'({z}) = σ({z})·(1 − σ({z})) = {a}·(1 − {a})",
        ActivationKind.Tanh => $"tanh'({z}) = 1 − tanh²({z}) = 1 − ({a})²",
        ActivationKind.ReLU => $"ReLU'({z}) = 1 where {z} > 0, else 0",
        ActivationKind.LeakyReLU => $"LeakyReLU'({z}) = 1 where {z} > 0, else " + Literals.Math(slope),
        ActivationKind.PReLU => $"PReLU'({z}ᵢ) = 1 where {z}ᵢ > 0, else αᵢ",
        ActivationKind.ELU => $"ELU'({z}) = 1 where {z} > 0, else e^{z} (not {a} + 1, which loses precision for very negative {z})",
        ActivationKind.Softplus => $"softplus'({z}) = σ({z}) = 1 / (1 + e^(−{z}))",
        ActivationKind.SiLU => $"SiLU'({z}) = σ({z})·(1 + {z}·(1 − σ({z})))",
        ActivationKind.Step => $"H'({z}) = 0 wherever it exists: no gradient passes (PerceptronTrainer trains this layer by the perceptron rule)",
        _ => "",
    };

    /// <summary>
    /// δ = ∂L/∂z from <paramref name="da"/> = ∂L/∂a by the chain rule, δ = ∂L/∂a · g'(z), as a C# expression over the
    /// expressions for ∂L/∂a, z and a. Each derivative is written in whichever of z or a makes it cheapest.
    /// </summary>
    public static string Delta(ActivationKind kind, float slope, string da, string z, string a, string alpha = "") => kind switch
    {
        ActivationKind.Identity => da,
        ActivationKind.Sigmoid => $"{da} * ({a} * (1f - {a}))",
        ActivationKind.Tanh => $"{da} * (1f - {a} * {a})",
        ActivationKind.ReLU => $"{z} > 0f ? {da} : 0f",
        ActivationKind.LeakyReLU => $"{z} > 0f ? {da} : {Literals.Float(slope)} * {da}",
        ActivationKind.PReLU => $"{z} > 0f ? {da} : {alpha} * {da}",
        ActivationKind.ELU => $"{z} > 0f ? {da} : {da} * {Math}.Exp({z})",
        ActivationKind.Softplus => $"{da} / (1f + {Math}.Exp(-{z}))",
        ActivationKind.SiLU => $"{da} * global::NetGen.ActivationMath.SiLUDerivative({z})",
        ActivationKind.Step => $"0f * {da}", // δ = ∂L/∂a · H′(z), and H′ = 0
        _ => da, // Softmax only appears fused with cross-entropy, whose δ the loss writes directly.
    };

    /// <summary>
    /// The expression ∂L/∂αᵢ for a PReLU unit, from ∂L/∂aᵢ and zᵢ: aᵢ = αᵢ·zᵢ where zᵢ ≤ 0, so ∂aᵢ/∂αᵢ = zᵢ there and 0 elsewhere.
    /// </summary>
    public static string SlopeGradient(string da, string z) => $"{z} > 0f ? 0f : {da} * {z}";

    /// <summary>True for the ReLU family, initialised with He; the others use Glorot.</summary>
    public static bool UsesHeInitialization(ActivationKind kind) =>
        kind is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.PReLU or ActivationKind.ELU or ActivationKind.SiLU or ActivationKind.Softplus;

    /// <summary>The negative slope He initialisation accounts for: LeakyReLU's α, PReLU's initial 0.25, otherwise 0.</summary>
    public static float InitializationSlope(ActivationKind kind, float slope) =>
        kind == ActivationKind.LeakyReLU ? slope : kind == ActivationKind.PReLU ? PReLUInitialSlope : 0f;

    /// <summary>PReLU's initial slope, as in PyTorch.</summary>
    public const float PReLUInitialSlope = 0.25f;
}

/// <summary>Formats numbers as C# literals and as math in comments, culture-independently.</summary>
internal static class Literals
{
    /// <summary>A float literal that round-trips: <c>0.01f</c>, <c>1E-05f</c>.</summary>
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A number for comments: <c>0.01</c>.</summary>
    public static string Math(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>An int with thousands separators for prose: <c>100,352</c>.</summary>
    public static string Grouped(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Superscript digits for layer numbers in comments: 12 → ¹².</summary>
    public static string Superscript(int value) => Digits(value, "⁰¹²³⁴⁵⁶⁷⁸⁹");

    /// <summary>Subscript digits for time steps in comments: 24 → ₂₄.</summary>
    public static string Subscript(int value) => Digits(value, "₀₁₂₃₄₅₆₇₈₉");

    private static string Digits(int value, string digits)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        var chars = new char[text.Length];
        for (int i = 0; i < text.Length; i++) chars[i] = digits[text[i] - '0'];
        return new string(chars);
    }
}
