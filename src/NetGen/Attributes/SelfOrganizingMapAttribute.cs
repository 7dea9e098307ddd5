using System;

namespace NetGen;

/// <summary>
/// Declares a self-organizing map (Kohonen) on a <c>partial class</c>: <see cref="Width"/> × <see cref="Height"/> units on
/// a rectangular grid, each with a weight vector of <see cref="Inputs"/> values. It is not a network — no layers, no
/// loss, no backward pass: the NetGen source generator adds the sizes as constants, the weight buffer, the
/// best-matching-unit search and the neighbourhood update, and <see cref="SomTrainer{TMap}"/> trains it.
/// </summary>
/// <remarks>
/// The class takes no <see cref="NetworkAttribute"/> and no layer attributes (NG0042, NG0043). Width, height and inputs
/// must be at least 1, and the map at most 16,777,216 weights (units × inputs) (NG0041). docs/som.md is the reference.
/// </remarks>
/// <example>
/// <code>
/// [SelfOrganizingMap(10, 10, Inputs = 4)]   // 100 units on a 10 × 10 grid, for samples of 4 features
/// public partial class IrisMap { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SelfOrganizingMapAttribute : Attribute
{
    /// <summary>Declares a map of <paramref name="width"/> columns and <paramref name="height"/> rows of units.</summary>
    /// <param name="width">The number of columns of the grid, at least 1.</param>
    /// <param name="height">The number of rows of the grid, at least 1.</param>
    public SelfOrganizingMapAttribute(int width, int height)
    {
        Width = width;
        Height = height;
    }

    /// <summary>The number of columns of the grid. Unit u sits at row u / Width, column u % Width.</summary>
    public int Width { get; }

    /// <summary>The number of rows of the grid.</summary>
    public int Height { get; }

    /// <summary>The number of values of one sample, which is the length of every unit's weight vector. Required, at least 1.</summary>
    public int Inputs { get; set; }
}
