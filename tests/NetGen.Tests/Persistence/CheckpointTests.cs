using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using NetGen.Tests.Networks;
using NetGen.Tests.Training;

namespace NetGen.Tests.Persistence;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("netgen-ckpt-").FullName;

    public void Dispose()
    {
        Checkpoint.OpenTemporary = DefaultOpen;
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly Func<string, Stream> DefaultOpen = Checkpoint.OpenTemporary;

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static void RoundTrip<T>(CheckpointEncoding encoding) where T : class, INetwork<T>
    {
        var saved = T.Create(11);
        for (int i = 0; i < saved.Parameters.Length; i++) saved.Parameters[i] += i * 1e-3f; // biases non-zero too
        var stream = new MemoryStream();
        Checkpoint.Save(saved, stream, encoding: encoding);
        var loaded = T.Create(99);
        stream.Position = 0;
        Checkpoint.Load(loaded, stream);
        Assert.Equal(
            saved.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits),
            loaded.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(CheckpointEncoding.Binary)]
    [InlineData(CheckpointEncoding.Base64Text)]
    public void Save_then_load_is_bit_exact_for_every_layer_kind(CheckpointEncoding encoding)
    {
        // Every activation, both code shapes, every loss.
        RoundTrip<XorNet>(encoding);
        RoundTrip<IrisNet>(encoding);
        RoundTrip<LinearRegressor>(encoding);
        RoundTrip<LoopedLeakyMseSigmoid>(encoding);
        RoundTrip<SmallReluMaeIdentity>(encoding);
        RoundTrip<LoopedTanhBce>(encoding);
        RoundTrip<FashionSubsetNet>(encoding);
        RoundTrip<MixedDeep>(encoding);
    }

    [Fact]
    public void Extension_methods_save_and_load_through_a_path()
    {
        var net = new IrisNet(3);
        string path = PathOf("iris.ngw");
        net.Save(path);
        var other = new IrisNet(4);
        other.Load(path);
        Assert.Equal(net.Parameters.ToArray(), other.Parameters.ToArray());
        Assert.Equal(IrisNet.Architecture, Checkpoint.ReadArchitecture(path));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void The_file_follows_the_documented_layout()
    {
        var net = new XorNet(1);
        var stream = new MemoryStream();
        Checkpoint.Save(net, stream);
        byte[] b = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'N', (byte)'G', (byte)'W', 0x0D, 0x0A, 0x1A, 0x0A }, b[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(12)));
        Assert.Equal((ulong)b.Length, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(16)));
        Assert.Equal(Crc32.HashToUInt32(b.AsSpan(0, 28)), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(28)));
        // FNV-1a 64, computed here from its definition.
        ulong fnv = 14695981039346656037UL;
        foreach (byte x in Encoding.UTF8.GetBytes(XorNet.Architecture)) { fnv ^= x; fnv *= 1099511628211UL; }
        Assert.Equal(fnv, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(32)));
        int a = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(40));
        Assert.Equal("netgen-1 inputs=2 dense(4,tanh) dense(1,sigmoid) loss=mse", Encoding.UTF8.GetString(b, 44, a));
        int p = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(44 + a));
        Assert.Equal(XorNet.ParameterCount, p);
        for (int i = 0; i < p; i++)
            Assert.Equal(net.Parameters[i], BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(48 + a + 4 * i)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(48 + a + 4 * p))); // no non-trainable state
        Assert.Equal(b.Length, 48 + a + 4 * p + 4 + 4);
        Assert.Equal(Crc32.HashToUInt32(b.AsSpan(0, b.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(b.Length - 4)));
    }

    // ---- every corruption case: the documented exception, the network unchanged ----

    private static byte[] Saved(out XorNet net)
    {
        net = new XorNet(5);
        var stream = new MemoryStream();
        Checkpoint.Save(net, stream, new Adam());
        return stream.ToArray();
    }

    private void AssertRefused(byte[] bytes, CheckpointProblem expected, string? messagePart = null)
    {
        string path = PathOf("bad.ngw");
        File.WriteAllBytes(path, bytes);
        var target = new XorNet(8);
        var before = target.Parameters.ToArray();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, path));
        Assert.Equal(expected, error.Problem);
        Assert.Contains("bad.ngw", error.Message);
        if (messagePart is not null) Assert.Contains(messagePart, error.Message);
        Assert.Equal(before, target.Parameters.ToArray());
    }

    [Fact]
    public void Truncated_files_are_reported_as_truncated_at_every_offset()
    {
        byte[] good = Saved(out _);
        foreach (int keep in new[] { 1, 7, 8, 20, 31, 32, 40, good.Length / 2, good.Length - 5, good.Length - 1 })
            AssertRefused(good[..keep], CheckpointProblem.Truncated, "truncated");
    }

    [Fact]
    public void A_damaged_version_field_reads_as_an_unsupported_version()
    {
        // Bytes 0–11 (magic, version) keep their place in every version, so the version is read before any checksum.
        byte[] bytes = Saved(out _);
        bytes[9] ^= 0x40;
        AssertRefused(bytes, CheckpointProblem.UnsupportedVersion, "version 16385");
    }

    [Theory]
    [InlineData(13)]  // flags
    [InlineData(17)]  // total length
    [InlineData(28)]  // the header checksum itself
    public void A_flipped_byte_in_the_header_is_corruption(int offset)
    {
        byte[] bytes = Saved(out _);
        bytes[offset] ^= 0x40;
        AssertRefused(bytes, CheckpointProblem.Corrupted, "header checksum");
    }

    [Fact]
    public void A_flipped_byte_in_the_data_is_corruption()
    {
        byte[] good = Saved(out _);
        foreach (int offset in new[] { 33, 45, good.Length / 2, good.Length - 6, good.Length - 1 })
        {
            byte[] bytes = (byte[])good.Clone();
            bytes[offset] ^= 0x01;
            AssertRefused(bytes, CheckpointProblem.Corrupted, "checksum");
        }
    }

    [Fact]
    public void Wrong_magic_empty_future_version_and_another_network_are_each_named()
    {
        AssertRefused([], CheckpointProblem.Empty, "empty");
        AssertRefused(Encoding.ASCII.GetBytes("PK\u0003\u0004 this is a zip"), CheckpointProblem.NotACheckpoint, "not a checkpoint");

        byte[] future = Saved(out _);
        BinaryPrimitives.WriteUInt32LittleEndian(future.AsSpan(8), CheckpointFormat.Version + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(future.AsSpan(28), Crc32.HashToUInt32(future.AsSpan(0, 28)));
        AssertRefused(future, CheckpointProblem.UnsupportedVersion, "newer NetGen");

        var stream = new MemoryStream();
        Checkpoint.Save(new IrisNet(1), stream);
        AssertRefused(stream.ToArray(), CheckpointProblem.OtherNetwork, "dense(16,relu)");
    }

    [Fact]
    public void A_directory_or_a_missing_file_is_file_not_found_and_changes_nothing()
    {
        var net = new XorNet(2);
        var before = net.Parameters.ToArray();
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(net, _dir));
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(net, PathOf("missing.ngw")));
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Throws<IOException>(() => Checkpoint.Save(net, _dir));
    }

    [Fact]
    public void A_truncated_text_checkpoint_is_reported_as_truncated()
    {
        var stream = new MemoryStream();
        Checkpoint.Save(new XorNet(1), stream, encoding: CheckpointEncoding.Base64Text);
        byte[] text = stream.ToArray();
        foreach (int keep in new[] { 5, 25, 27, 40, text.Length / 2, text.Length - 3 })
            AssertRefused(text[..keep], CheckpointProblem.Truncated, "truncated");
    }

    [Fact]
    public void A_text_checkpoint_with_a_byte_order_mark_cut_anywhere_is_reported_as_truncated()
    {
        var stream = new MemoryStream();
        Checkpoint.Save(new XorNet(1), stream, encoding: CheckpointEncoding.Base64Text);
        byte[] text = [0xEF, 0xBB, 0xBF, .. stream.ToArray()];
        // Inside the mark, just after it, inside the first line, and later.
        for (int keep = 1; keep <= 40; keep++)
            AssertRefused(text[..keep], CheckpointProblem.Truncated, "truncated");
        AssertRefused(text[..(text.Length / 2)], CheckpointProblem.Truncated, "truncated");
    }

    [Fact]
    public void A_save_refused_by_the_system_names_the_file_asked_for_not_the_temporary_one()
    {
        string path = PathOf("model.ngw");
        // What the operating system reports for a folder the user may not write: the path it tried, the temporary file.
        Checkpoint.OpenTemporary = temporary => throw new UnauthorizedAccessException($"Access to the path '{temporary}' is denied.");
        var denied = Assert.Throws<UnauthorizedAccessException>(() => new XorNet(1).Save(path));
        Assert.StartsWith($"'{path}' cannot be written", denied.Message);
        Checkpoint.OpenTemporary = temporary => new FailingStream(DefaultOpen(temporary), failAfter: 10);
        var failed = Assert.Throws<IOException>(() => new XorNet(1).Save(path));
        Assert.StartsWith($"'{path}' could not be written", failed.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_text_checkpoint_with_a_byte_order_mark_loads()
    {
        var net = new XorNet(4);
        var stream = new MemoryStream();
        Checkpoint.Save(net, stream, encoding: CheckpointEncoding.Base64Text);
        var withBom = new MemoryStream([0xEF, 0xBB, 0xBF, .. stream.ToArray()]);
        var target = new XorNet(5);
        Checkpoint.Load(target, withBom);
        Assert.Equal(net.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void Damaged_base64_text_is_corruption()
    {
        var stream = new MemoryStream();
        Checkpoint.Save(new XorNet(1), stream, encoding: CheckpointEncoding.Base64Text);
        string text = Encoding.ASCII.GetString(stream.ToArray());
        int at = text.Length / 2;
        string changed = text[..at] + (text[at] == 'Q' ? 'R' : 'Q') + text[(at + 1)..]; // still base64, different bytes
        AssertRefused(Encoding.ASCII.GetBytes(changed), CheckpointProblem.Corrupted, "checksum");
        AssertRefused(Encoding.ASCII.GetBytes(text.Replace('A', '*')), CheckpointProblem.Corrupted);
    }

    // ---- atomic saves ----

    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            int allowed = (int)Math.Min(count, failAfter - _written);
            inner.Write(buffer, offset, allowed);
            _written += allowed;
            if (allowed < count) throw new IOException("Simulated crash: the disk went away.");
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    [Fact]
    public void A_crash_during_save_leaves_the_previous_file_intact()
    {
        string path = PathOf("model.ngw");
        var first = new FashionSubsetNet(1);
        first.Save(path);
        byte[] before = File.ReadAllBytes(path);

        Checkpoint.OpenTemporary = temporary => new FailingStream(DefaultOpen(temporary), failAfter: 1000);
        var second = new FashionSubsetNet(2);
        Assert.Throws<IOException>(() => second.Save(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_dir).Select(Path.GetFileName));
        var check = new FashionSubsetNet(3);
        check.Load(path);
        Assert.Equal(first.Parameters.ToArray(), check.Parameters.ToArray());
    }

    // ---- optimizer state ----

    [Theory]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("SgdMomentum")]
    [InlineData("RmsProp")]
    [InlineData("AdaGrad")]
    public void Resuming_from_a_checkpoint_takes_the_same_steps_as_training_on(string name)
    {
        ICheckpointableOptimizer Make() => name switch
        {
            "Adam" => new Adam(0.01f),
            "AdamW" => new AdamW(0.01f),
            "SgdMomentum" => new Sgd(0.05f, momentum: 0.9f, nesterov: true),
            "RmsProp" => new RmsProp(0.005f, centered: true, momentum: 0.5f),
            _ => new AdaGrad(0.1f),
        };
        var data = TrainerTests.LinearData(60);

        var straight = new LinearRegressor(seed: 4);
        var straightTrainer = new Trainer<LinearRegressor>(straight, Make(), seed: 6) { BatchSize = 8 };
        straightTrainer.Callbacks.Add(new StepDecay(2, 0.5f));
        straightTrainer.Fit(data, epochs: 6);

        var first = new LinearRegressor(seed: 4);
        var optimizer = Make();
        var firstTrainer = new Trainer<LinearRegressor>(first, optimizer, seed: 6) { BatchSize = 8 };
        firstTrainer.Callbacks.Add(new StepDecay(2, 0.5f));
        firstTrainer.Fit(data, epochs: 3);
        string path = PathOf("resume.ngw");
        Checkpoint.Save(first, path, optimizer);

        var resumed = new LinearRegressor(seed: 123);
        var resumedOptimizer = Make();
        Checkpoint.Load(resumed, path, resumedOptimizer);
        var resumedTrainer = new Trainer<LinearRegressor>(resumed, resumedOptimizer, seed: 6) { BatchSize = 8 };
        resumedTrainer.Callbacks.Add(new StepDecay(2, 0.5f));
        resumedTrainer.Fit(data, epochs: 6, initialEpoch: 3);

        Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
    }

    [Fact]
    public void Optimizer_state_of_another_kind_or_missing_is_refused_and_changes_nothing()
    {
        var net = new XorNet(1);
        var adam = new Adam();
        adam.Step(net.Parameters, new float[XorNet.ParameterCount]);
        var withState = new MemoryStream();
        Checkpoint.Save(net, withState, adam);
        var without = new MemoryStream();
        Checkpoint.Save(net, without);

        var target = new XorNet(2);
        var before = target.Parameters.ToArray();
        var sgd = new Sgd(0.1f, momentum: 0.9f);
        withState.Position = 0;
        var kind = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, withState, sgd));
        Assert.Equal(CheckpointProblem.OptimizerMismatch, kind.Problem);
        Assert.Contains("Adam", kind.Message);
        without.Position = 0;
        var missing = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, without, new Adam()));
        Assert.Equal(CheckpointProblem.OptimizerMismatch, missing.Problem);
        Assert.Equal(before, target.Parameters.ToArray());
        Assert.Equal(0.1f, sgd.LearningRate);

        // Optimizer state sized for another network (here: Adam stepped on 3 values) is refused too.
        var odd = new Adam();
        odd.Step(new float[3], new float[3]);
        var oddFile = new MemoryStream();
        Checkpoint.Save(net, oddFile, odd);
        oddFile.Position = 0;
        var fresh = new Adam();
        var size = Assert.Throws<CheckpointException>(() => Checkpoint.Load(target, oddFile, fresh));
        Assert.Equal(CheckpointProblem.OptimizerMismatch, size.Problem);
        Assert.Contains("for 3 parameters", size.Message);
        Assert.Equal(0, fresh.StepCount);
        Assert.Equal(before, target.Parameters.ToArray());
    }
}
