using System.Buffers.Binary;
using System.IO.Compression;

namespace NetGen.Tests.Training;

public sealed class DataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Write(string name, byte[] bytes, bool gzip = false)
    {
        string path = Path.Combine(_dir, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Optimal);
            zip.Write(bytes);
        }
        else File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An IDX file written by hand: 0, 0, type, rank, big-endian sizes, then the values.</summary>
    private static byte[] Idx(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    // ---- CSV ----

    [Fact]
    public void Csv_classification_reads_features_and_one_hot_classes()
    {
        string path = Write("flowers.csv", "a,b,species\n1.5,2,red\n\n\"3\",-4e-1,blue\n 5 , 6 ,\"red\" \n");
        var csv = CsvLoader.LoadClassification(path, "species");
        Assert.Equal(["a", "b"], csv.FeatureNames);
        Assert.Equal(["blue", "red"], csv.ClassNames); // sorted ordinally
        Assert.Equal(3, csv.Data.Count);
        Assert.Equal([1.5f, 2f], csv.Data.Input(0).ToArray());
        Assert.Equal([3f, -0.4f], csv.Data.Input(1).ToArray());
        Assert.Equal([5f, 6f], csv.Data.Input(2).ToArray());
        Assert.Equal([0f, 1f], csv.Data.Target(0).ToArray());
        Assert.Equal([1f, 0f], csv.Data.Target(1).ToArray());

        var ordered = CsvLoader.LoadClassification(path, "species", classNames: ["red", "blue", "green"]);
        Assert.Equal([1f, 0f, 0f], ordered.Data.Target(0).ToArray());
        Assert.Equal(3, ordered.Data.TargetWidth);
    }

    [Fact]
    public void Csv_regression_reads_named_targets_in_order()
    {
        string path = Write("houses.csv", "y2,x,y1\n10,1,100\n20,2,200\n");
        var csv = CsvLoader.LoadRegression(path, ["y1", "y2"]);
        Assert.Equal(["x"], csv.FeatureNames);
        Assert.Equal([100f, 10f], csv.Data.Target(0).ToArray());
        Assert.Equal([2f], csv.Data.Input(1).ToArray());
        Assert.Empty(csv.ClassNames);
    }

    [Theory]
    [InlineData("a,b,c\n1,2,x\n3,4\n", "line 3 has 2 fields but the header has 3")]
    [InlineData("a,b,c\n1,2,x\n3,4,y,5\n", "line 3 has 4 fields")]
    [InlineData("a,b,c\n1,2,x\n1,two,y\n", "line 3, column 'b': 'two' is not a finite number")]
    [InlineData("a,b,c\n1,NaN,x\n", "line 2, column 'b': 'NaN' is not a finite number")]
    [InlineData("a,b,c\n1,,x\n", "line 2, column 'b': '' is not a finite number")]
    [InlineData("a,b,c\n1,\"2,x\n", "line 2 has a quoted field with no closing quote")]
    [InlineData("", "is empty")]
    [InlineData("a,b,c\n1,2,\"x\" y\n", "line 2 has text after a closing quote")]
    [InlineData("a,b,c\n1,2,x\n1,2,\n", "line 3: column 'c' is empty")]
    [InlineData("a,b,c\n", "no data rows")]
    [InlineData("a,a,c\n1,2,x\n", "names column 'a' twice")]
    public void Malformed_csv_is_rejected_with_the_line(string text, string expected)
    {
        string path = Write("bad.csv", text);
        var error = Assert.Throws<InvalidDataException>(() => CsvLoader.LoadClassification(path, "c"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("bad.csv", error.Message);
    }

    [Fact]
    public void Csv_errors_name_missing_columns_unknown_classes_and_missing_files()
    {
        string path = Write("t.csv", "a,label\n1,cat\n2,dog\n");
        var missing = Assert.Throws<ArgumentException>(() => CsvLoader.LoadClassification(path, "species"));
        Assert.Contains("no column 'species'", missing.Message);
        Assert.Contains("'a', 'label'", missing.Message);
        var unknown = Assert.Throws<InvalidDataException>(() => CsvLoader.LoadClassification(path, "label", classNames: ["cat"]));
        Assert.Contains("line 3", unknown.Message);
        Assert.Contains("'dog'", unknown.Message);
        Assert.Throws<FileNotFoundException>(() => CsvLoader.LoadClassification(Path.Combine(_dir, "none.csv"), "label"));
        Assert.Throws<FileNotFoundException>(() => CsvLoader.LoadClassification(_dir, "label"));
    }

    [Fact]
    public void Iris_csv_loads_150_samples_of_3_balanced_classes()
    {
        var iris = CsvLoader.LoadClassification(Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv"), "species");
        Assert.Equal(150, iris.Data.Count);
        Assert.Equal(4, iris.Data.InputWidth);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        var counts = new int[3];
        for (int i = 0; i < iris.Data.Count; i++) counts[OneHot.Decode(iris.Data.Target(i))]++;
        Assert.Equal([50, 50, 50], counts);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Data.Input(0).ToArray());
    }

    // ---- IDX ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_images_and_labels_load_as_scaled_one_hot_data(bool gzip)
    {
        byte[] pixels = [0, 255, 51, 102, 10, 20, 30, 40, 1, 2, 3, 4];
        string images = Write("img", Idx(0x08, [3, 2, 2], pixels), gzip);
        string labels = Write("lbl", Idx(0x08, [3], [2, 0, 1]), gzip);
        var data = IdxReader.LoadLabelled(images, labels, classCount: 3);
        Assert.Equal(3, data.Count);
        Assert.Equal(4, data.InputWidth);
        Assert.Equal([0f, 1f, 0.2f, 0.4f], data.Input(0).ToArray());
        Assert.Equal([0f, 0f, 1f], data.Target(0).ToArray());
        Assert.Equal([1f, 0f, 0f], data.Target(1).ToArray());
    }

    [Fact]
    public void Idx_reads_every_element_type_big_endian()
    {
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, -7);
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), 1 << 20);
        Assert.Equal([-7f, 1 << 20], IdxReader.Read(new MemoryStream(Idx(0x0C, [2], ints))).Values);
        var floats = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.25f);
        Assert.Equal([1.25f], IdxReader.Read(new MemoryStream(Idx(0x0D, [1], floats))).Values);
        Assert.Equal([-1f, 127f], IdxReader.Read(new MemoryStream(Idx(0x09, [2], [0xFF, 0x7F]))).Values);
        var shorts = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        Assert.Equal([-300f], IdxReader.Read(new MemoryStream(Idx(0x0B, [1], shorts))).Values);
    }

    public static TheoryData<string, byte[], string> MalformedIdx => new()
    {
        { "empty", [], "has 0 bytes" },
        { "wrong magic", [0x50, 0x4B, 3, 4, 0, 0, 0, 1, 9], "does not start with an IDX magic number" },
        { "unknown type", Idx(0x07, [1], [1]), "type code 0x07" },
        { "no dimensions", [0, 0, 8, 0], "declares 0 dimensions" },
        { "header cut", [0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "shorter than its 16-byte header" },
        { "data cut", Idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7]), "is truncated: its header promises 2 × 2 × 2 values (24 bytes) but the file has 23 bytes" },
        { "data cut early", Idx(0x08, [100, 28, 28], new byte[1000]), "is truncated" },
        { "extra bytes", Idx(0x08, [2], [1, 2, 3]), "1 bytes after" },
        { "zero size", Idx(0x08, [0], []), "dimension 0 of size 0" },
    };

    [Theory]
    [MemberData(nameof(MalformedIdx))]
    public void Malformed_idx_is_rejected_with_a_clear_error(string name, byte[] bytes, string expected)
    {
        string path = Write(name.Replace(' ', '-'), bytes);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Truncated_gzip_idx_is_rejected()
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            zip.Write(Idx(0x08, [50, 10], Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray()));
        foreach (int keep in new[] { 12, buffer.Length / 2, buffer.Length - 5 })
        {
            string path = Write($"cut{keep}.gz", buffer.ToArray()[..(int)keep]);
            var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
            Assert.Contains("cut", error.Message);
        }
    }

    [Fact]
    public void Idx_pairs_must_match_and_labels_must_be_classes()
    {
        string images = Write("i", Idx(0x08, [2, 2], [1, 2, 3, 4]));
        string three = Write("l3", Idx(0x08, [3], [0, 1, 2]));
        Assert.Contains("holds 2 images but l3 holds 3 labels", Assert.Throws<InvalidDataException>(() => IdxReader.LoadLabelled(images, three)).Message);
        string big = Write("lbig", Idx(0x08, [2], [0, 10]));
        Assert.Contains("label 10 of item 1", Assert.Throws<InvalidDataException>(() => IdxReader.LoadLabelled(images, big)).Message);
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(Path.Combine(_dir, "missing")));
    }

    // ---- Dataset helpers ----

    [Fact]
    public void One_hot_encodes_and_rejects_labels_out_of_range()
    {
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f], OneHot.Encode([1, 2], 3));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([0, 3], 3));
        Assert.Contains("Label 3 of sample 1", error.Message);
        Assert.Equal(2, OneHot.Decode([0.1f, 0.2f, 0.7f]));
    }

    [Fact]
    public void Standardizer_uses_training_mean_and_population_deviation()
    {
        // Column 0: 1, 2, 3 → μ = 2, σ = √(2/3); column 1 constant 5 → only centred.
        var train = new Dataset([1, 5, 2, 5, 3, 5], [0, 0, 0], 2, 1);
        var s = Standardizer.Fit(train);
        Assert.Equal([2f, 5f], s.Mean.ToArray());
        Assert.Equal((float)Math.Sqrt(2.0 / 3), s.Scale[0], 1e-6f);
        Assert.Equal(1f, s.Scale[1]);
        var other = s.Transform(new Dataset([4, 7], [9], 2, 1));
        Assert.Equal(2 / (float)Math.Sqrt(2.0 / 3), other.Input(0)[0], 1e-5f);
        Assert.Equal(2f, other.Input(0)[1]);
        Assert.Equal(9f, other.Target(0)[0]);
        Assert.Throws<ArgumentException>(() => s.Transform(new Dataset([1, 2, 3], [0], 3, 1)));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(new Dataset([float.NaN, 1], [0], 2, 1)));
    }

    [Fact]
    public void Splits_are_seeded_disjoint_and_complete()
    {
        var data = new Dataset(Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), new float[100], 1, 1);
        var (train, validation, test) = data.Split(0.15, 0.2, seed: 4);
        Assert.Equal(65, train.Count);
        Assert.Equal(15, validation.Count);
        Assert.Equal(20, test.Count);
        var all = new[] { train, validation, test }.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => d.Input(i)[0])).OrderBy(x => x).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i).ToArray(), all);
        var again = data.Split(0.15, 0.2, seed: 4);
        Assert.Equal(test.Input(0)[0], again.Test.Input(0)[0]);
        Assert.NotEqual(
            Enumerable.Range(0, 20).Select(i => test.Input(i)[0]),
            Enumerable.Range(0, 20).Select(i => data.Split(0.15, 0.2, seed: 5).Test.Input(i)[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(1.0, 1));
        Assert.Throws<ArgumentException>(() => data.Split(0.6, 0.5, 1));
    }

    [Fact]
    public void Dataset_create_checks_widths_against_the_network()
    {
        var inputs = Assert.Throws<ArgumentException>(() => Dataset.Create<IrisNet>(new float[10], new float[6]));
        Assert.Contains("10 values", inputs.Message);
        Assert.Contains("IrisNet.InputSize = 4", inputs.Message);
        var targets = Assert.Throws<ArgumentException>(() => Dataset.Create<IrisNet>(new float[8], new float[4]));
        Assert.Contains("IrisNet.OutputSize = 3", targets.Message);
        var rows = Assert.Throws<ArgumentException>(() => Dataset.Create<IrisNet>(new float[8], new float[3]));
        Assert.Contains("2 rows", rows.Message);
    }
}
