using System;

namespace NetGen;

/// <summary>
/// An Elman recurrent layer (PyTorch's <c>nn.RNN</c>) over the network's sequence: hₜ = g(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh)
/// for t = 1 … <see cref="NetworkAttribute.SequenceLength"/>, h₀ = 0, g tanh (default) or ReLU. Parameters in PyTorch's
/// layout: W_ih [units, inputs], W_hh [units, units], b_ih, b_hh, all initialised uniform on ±1/√units. The layer passes on
/// the last state hₜ (many-to-one), or every state with <see cref="ReturnSequences"/> (for a recurrent layer stacked on it,
/// or a dense layer applied at every step).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RecurrentAttribute : Attribute
{
    /// <summary>Declares an Elman layer.</summary>
    /// <param name="units">The size H of the hidden state. Must be at least 1.</param>
    /// <param name="activation">g: <see cref="Activation.Tanh"/> (default) or <see cref="Activation.ReLU"/>, as PyTorch's <c>nonlinearity</c>.</param>
    public RecurrentAttribute(int units, Activation activation = Activation.Tanh)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>The nonlinearity of the cell.</summary>
    public Activation Activation { get; }

    /// <summary>Passes on every step's state [steps × units] instead of the last one [units].</summary>
    public bool ReturnSequences { get; set; }
}

/// <summary>
/// A gated recurrent unit layer (PyTorch's <c>nn.GRU</c>): rₜ = σ(W_ir·xₜ + b_ir + W_hr·hₜ₋₁ + b_hr),
/// zₜ = σ(W_iz·xₜ + b_iz + W_hz·hₜ₋₁ + b_hz), nₜ = tanh(W_in·xₜ + b_in + rₜ ⊙ (W_hn·hₜ₋₁ + b_hn)),
/// hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁, h₀ = 0. W_ih [3·units, inputs] and W_hh [3·units, units] stack the gates in PyTorch's
/// order r, z, n; all parameters uniform on ±1/√units.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute : Attribute
{
    /// <summary>Declares a GRU layer.</summary>
    /// <param name="units">The size H of the hidden state. Must be at least 1.</param>
    public GruAttribute(int units) => Units = units;

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Passes on every step's state [steps × units] instead of the last one [units].</summary>
    public bool ReturnSequences { get; set; }
}

/// <summary>
/// A long short-term memory layer (PyTorch's <c>nn.LSTM</c>): with gates iₜ = σ(·), fₜ = σ(·), gₜ = tanh(·), oₜ = σ(·) of
/// W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh, cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ and hₜ = oₜ ⊙ tanh(cₜ), h₀ = c₀ = 0. W_ih [4·units, inputs] and
/// W_hh [4·units, units] stack the gates in PyTorch's order i, f, g, o; all parameters uniform on ±1/√units, unless
/// <see cref="ForgetBias"/> starts the forget gate open.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    /// <summary>Declares an LSTM layer.</summary>
    /// <param name="units">The size H of the hidden state. Must be at least 1.</param>
    public LstmAttribute(int units) => Units = units;

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Passes on every step's state [steps × units] instead of the last one [units].</summary>
    public bool ReturnSequences { get; set; }

    /// <summary>
    /// The forget gate's initial bias. Unset (NaN, the default), it is drawn like every other parameter (PyTorch's
    /// initialisation); set, the forget block of b_ih starts at this value and that of b_hh at 0, so fₜ starts near
    /// σ(value) and the cell state — and the gradient through it — decays by that factor per step instead of about ½.
    /// 1 is Keras' <c>unit_forget_bias</c> (Jozefowicz et al., 2015); larger values let the gradient reach further back
    /// at initialisation (σ(2)⁴⁹ ≈ 2·10⁻³ over 50 steps, against ½⁴⁹ ≈ 2·10⁻¹⁵). Must be finite.
    /// </summary>
    public double ForgetBias { get; set; } = double.NaN;
}
