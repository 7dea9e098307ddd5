using System.Globalization;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emission;

/// <summary>
/// Names of the scratch layout's offsets, which the layered shape emits once as constants of a nested
/// <c>NetGenScratch</c> class (the planner's allocator decides the numbers; no offset is written as a literal twice).
/// </summary>
internal static class Layout
{
    public const string Class = "NetGenScratch";

    /// <summary>Floats per sample in the batch buffer (= the training scratch).</summary>
    public static string Stride => Class + ".Stride";

    public static string ValueName(ValuePlan value) => char.ToUpperInvariant(value.Role[0]) + value.Role.Substring(1) + value.Layer.ToString(CultureInfo.InvariantCulture);

    public static string GradientName(ValuePlan value) => "Delta" + value.GradientLayer.ToString(CultureInfo.InvariantCulture);

    public static string MaskName(OpPlan dropout) => "Mask" + dropout.Layer.ToString(CultureInfo.InvariantCulture);

    public static string CacheName(OpPlan op) => "Cache" + op.Layer.ToString(CultureInfo.InvariantCulture);

    public static string Cache(OpPlan op) => Class + "." + CacheName(op);

    public static string CacheSlice(string buffer, OpPlan op) => $"{buffer}.Slice({Cache(op)}, {op.CacheLength})";

    public static string Value(ValuePlan value) => Class + "." + ValueName(value);

    public static string Gradient(ValuePlan value) => Class + "." + GradientName(value);

    public static string Mask(OpPlan dropout) => Class + "." + MaskName(dropout);

    /// <summary>A slice of <paramref name="buffer"/> holding the value.</summary>
    public static string Slice(string buffer, ValuePlan value) => $"{buffer}.Slice({Value(value)}, {value.Size})";

    public static string GradientSlice(string buffer, ValuePlan value) => $"{buffer}.Slice({Gradient(value)}, {value.Size})";

    public static string MaskSlice(string buffer, OpPlan dropout) => $"{buffer}.Slice({Mask(dropout)}, {dropout.Output.Size})";
}
