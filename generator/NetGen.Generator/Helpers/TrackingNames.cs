namespace NetGen.Generator.Helpers;

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Networks = nameof(Networks);
    public const string Diagnostics = nameof(Diagnostics);
    public const string OrphanLayers = nameof(OrphanLayers);
    public const string OrphanDropouts = nameof(OrphanDropouts);
    public const string WeightsFiles = nameof(WeightsFiles);
    public const string Emission = nameof(Emission);
    public const string WeightsDiagnostics = nameof(WeightsDiagnostics);
    public const string SomParse = nameof(SomParse);
    public const string SomDiagnostics = nameof(SomDiagnostics);
    public const string SomMaps = nameof(SomMaps);
}
