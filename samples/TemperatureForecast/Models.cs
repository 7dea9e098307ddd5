using NetGen;

namespace Samples.TemperatureForecast;

// Each model reads the previous 24 hours (one standardised temperature per step) and predicts the next hour's.

/// <summary>A dense network on the 24 values as one vector: the feed-forward yardstick.</summary>
[Network(Inputs = 24, Loss = Loss.MeanSquaredError)]
[Dense(32, Activation.ReLU)]
[Dense(1)]
public partial class DenseForecast;

/// <summary>Elman: hₜ = tanh(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh), then a dense layer on h₂₄.</summary>
[Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Recurrent(32)]
[Dense(1)]
public partial class ElmanForecast;

/// <summary>A GRU of 32 units, then a dense layer on its last state.</summary>
[Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Gru(32)]
[Dense(1)]
public partial class GruForecast;

/// <summary>An LSTM of 32 units, then a dense layer on its last state.</summary>
[Network(Inputs = 1, SequenceLength = 24, Loss = Loss.MeanSquaredError)]
[Lstm(32, ForgetBias = 1)]
[Dense(1)]
public partial class LstmForecast;
