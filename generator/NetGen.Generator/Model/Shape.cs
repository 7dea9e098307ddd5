using System.Globalization;
using System.Linq;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// The shape of one sample's value as it flows between operations: <c>[features]</c> today; channels × height × width
/// and time × features are further dimensions of the same record. Part of the equatable model.
/// </summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    /// <summary>A vector of <paramref name="features"/> values.</summary>
    public static Shape Features(int features) => new(new EquatableArray<int>(new[] { features }));

    /// <summary>The number of floats one sample's value holds: the product of the dimensions.</summary>
    public long Size => Dimensions.Aggregate(1L, (size, dimension) => size * dimension);

    /// <summary>As written in messages and the summary: <c>[4]</c>, <c>[16×28×28]</c>.</summary>
    public override string ToString() =>
        "[" + string.Join("×", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
