using Flows.Cluster.Hosting;
using Flows.Cluster.Memory;

namespace Flows.Cluster.Tests;

/// <summary>How a worker's memory limit is read: <c>--memory-limit</c> values, FLOWS_MEMORY_LIMIT, and the container's cgroup files.</summary>
public sealed class MemoryLimitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flows-cgroup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("1073741824", 1073741824L)]
    [InlineData("4GiB", 4L << 30)]
    [InlineData("4gib", 4L << 30)]
    [InlineData("512 MiB", 512L << 20)]
    [InlineData("512MB", 512_000_000L)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("64KiB", 65536L)]
    [InlineData("100b", 100L)]
    [InlineData("3g", 3_000_000_000L)]
    public void Sizes_are_read_in_bytes_and_in_decimal_and_binary_units_whatever_the_case(string text, long bytes)
    {
        Assert.True(MemorySize.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-1GiB")]
    [InlineData("4 GiBs")]
    [InlineData("GiB")]
    [InlineData("99999999999TiB")]
    public void Anything_else_is_not_a_size(string text) => Assert.False(MemorySize.TryParse(text, out _));

    [Fact]
    public void A_bad_memory_limit_is_refused_naming_the_option_and_the_value()
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.MemoryLimitOption("four gigs"));
        Assert.Contains("--memory-limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("'four gigs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("4GiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_too_small_for_the_runtime_is_refused() =>
        Assert.Contains("32 MiB", Assert.Throws<ArgumentException>(() => WorkerLaunch.MemoryLimitOption("1MiB")).Message, StringComparison.Ordinal);

    [Fact]
    public void No_limit_given_means_what_is_available_and_none_means_no_limit()
    {
        Assert.Equal(123L << 20, WorkerLaunch.MemoryLimitOption(null, () => 123L << 20));
        Assert.Equal(123L << 20, WorkerLaunch.MemoryLimitOption("auto", () => 123L << 20));
        Assert.Equal(0, WorkerLaunch.MemoryLimitOption("none"));
        Assert.Equal(0, WorkerLaunch.MemoryLimitOption("0"));
    }

    [Fact]
    public void The_worker_command_takes_its_limit_from_the_option_or_the_environment()
    {
        var assembly = typeof(MemoryLimitTests).Assembly.Location;
        var launch = WorkerLaunch.Parse(["--assembly", assembly, "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1", "--memory-limit", "512MiB"]);
        Assert.Equal(512L << 20, launch.Settings.MemoryLimit);

        Environment.SetEnvironmentVariable("FLOWS_MEMORY_LIMIT", "1GiB");
        try
        {
            var fromEnvironment = WorkerLaunch.Parse(["--assembly", assembly, "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"]);
            Assert.Equal(1L << 30, fromEnvironment.Settings.MemoryLimit);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLOWS_MEMORY_LIMIT", null);
        }
    }

    [Fact]
    public void The_cgroup_v2_limit_is_read_and_max_means_none()
    {
        var v2 = Write("memory.max", "536870912\n");
        Assert.Equal(512L << 20, ContainerMemory.ReadCgroupLimit(v2, Missing, machineMemory: 8L << 30));
        Write("memory.max", "max\n");
        Assert.Null(ContainerMemory.ReadCgroupLimit(v2, Missing, machineMemory: 8L << 30));
    }

    [Fact]
    public void The_cgroup_v1_limit_is_read_and_its_unlimited_value_means_none()
    {
        var v1 = Write("memory.limit_in_bytes", "268435456\n");
        Assert.Equal(256L << 20, ContainerMemory.ReadCgroupLimit(Missing, v1, machineMemory: 8L << 30));
        Write("memory.limit_in_bytes", "9223372036854771712\n");
        Assert.Null(ContainerMemory.ReadCgroupLimit(Missing, v1, machineMemory: 8L << 30));
    }

    [Fact]
    public void No_cgroup_files_mean_no_container_limit() =>
        Assert.Null(ContainerMemory.ReadCgroupLimit(Missing, Missing, machineMemory: 8L << 30));

    [Fact]
    public void Sizes_are_written_for_people()
    {
        Assert.Equal("512 MiB", MemorySize.Format(512L << 20));
        Assert.Equal("1.5 GiB", MemorySize.Format(3L << 29));
    }

    private string Missing => Path.Combine(_dir, "absent");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
