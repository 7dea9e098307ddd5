using System;

namespace NetGen;

/// <summary>
/// A Gaussian radial-basis layer (Broomhead and Lowe, 1988): unit i answers with
/// aᵢ = φᵢ(x) = exp(−βᵢ·‖x − cᵢ‖²), 1 at its centre cᵢ and falling with the squared distance, βᵢ = 1/(2σᵢ²) for a
/// Gaussian of width σᵢ. Follow it with a linear (or softmax) <see cref="DenseAttribute"/> to make the classic RBF
/// network. The centres C [units × inputs] (row-major, one centre per row, <see cref="ParameterRole.Center"/>) and the
/// precisions β [units] (<see cref="ParameterRole.Precision"/>) are parameters like weights, trained by backpropagation.
/// </summary>
/// <remarks>
/// Before training, place the centres on the data: <see cref="RbfInitialization.FromData{TNetwork}(TNetwork, ReadOnlySpan{float}, int, int)"/>
/// runs k-means on the training inputs and sets each βᵢ from its cluster's spread. Without it the centres start uniform on
/// ±1 and β = 1/inputs. The layer reads a vector: put it on vector inputs or after a <see cref="DenseAttribute"/>.
/// </remarks>
/// <example><c>[Network(Inputs = 13, Loss = Loss.CrossEntropy)] [Rbf(12)] [Dense(3, Activation.Softmax)]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RbfAttribute : Attribute
{
    /// <summary>Declares a radial-basis layer.</summary>
    /// <param name="units">The number of centres (hidden units). Must be at least 1.</param>
    public RbfAttribute(int units) => Units = units;

    /// <summary>The number of centres.</summary>
    public int Units { get; }
}
