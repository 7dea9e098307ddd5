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

    /// <summary>A sequence of <paramref name="steps"/> steps of <paramref name="features"/> values each, step after step.</summary>
    public static Shape Sequence(int steps, int features) => new(new EquatableArray<int>(new[] { steps, features }));

    /// <summary>An image of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> values,
    /// channel after channel, row after row (NCHW without the batch axis).</summary>
    public static Shape Image(int channels, int height, int width) => new(new EquatableArray<int>(new[] { channels, height, width }));

    /// <summary>True for an image [channels × height × width].</summary>
    public bool IsImage => Dimensions.Count == 3;

    /// <summary>An image's channels (its first dimension).</summary>
    public int Channels => Dimensions[0];

    /// <summary>An image's rows.</summary>
    public int Height => Dimensions[1];

    /// <summary>An image's columns.</summary>
    public int Columns => Dimensions[2];

    /// <summary>True for a sequence [steps × features].</summary>
    public bool IsSequence => Dimensions.Count == 2;

    /// <summary>The steps of a sequence; 1 for a vector.</summary>
    public int Steps => IsSequence ? Dimensions[0] : 1;

    /// <summary>The values of one step: the last dimension (a vector's whole length).</summary>
    public int Width => IsSequence ? Dimensions[1] : (int)Size;

    /// <summary>The number of floats one sample's value holds: the product of the dimensions.</summary>
    public long Size => Dimensions.Aggregate(1L, (size, dimension) => size * dimension);

    /// <summary>As written in messages and the summary: <c>[4]</c>, <c>[16×28×28]</c>.</summary>
    public override string ToString() =>
        "[" + string.Join("×", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
