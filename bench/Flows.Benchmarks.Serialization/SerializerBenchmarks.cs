using System.Buffers;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Flows.Graph;
using MemoryPack;

namespace Flows.Benchmarks.Serialization;

/// <summary>
/// Serialize then deserialize, through each library's fastest documented path into a reused
/// buffer: Flows' generated task codec (what the process executor calls), System.Text.Json's
/// source-generated context, and MemoryPack.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 << 20);
    private Order _order = null!;
    private double[] _doubles = null!;
    private ITaskCodec _orderCodec = null!;
    private ITaskCodec _doublesCodec = null!;

    [GlobalSetup]
    public void Setup()
    {
        _order = BenchTasks.SampleOrder();
        _doubles = Enumerable.Range(0, (8 << 20) / sizeof(double)).Select(i => i * 0.25).ToArray();
        var registry = (ITaskRegistry)Activator.CreateInstance(
            typeof(Order).Assembly.GetCustomAttribute<TaskRegistryAttribute>()!.RegistryType)!;
        _orderCodec = registry.Find("Flows.Benchmarks.Serialization.BenchTasks.EchoOrder")!.Codec!;
        _doublesCodec = registry.Find("Flows.Benchmarks.Serialization.BenchTasks.EchoDoubles")!.Codec!;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Order")]
    public Order Order_Flows()
    {
        _buffer.ResetWrittenCount();
        _orderCodec.WriteResult(_order, _buffer);
        return (Order)_orderCodec.ReadResult(_buffer.WrittenSpan)!;
    }

    [Benchmark]
    [BenchmarkCategory("Order")]
    public Order Order_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, _order, BenchJsonContext.Default.Order);
        }

        return JsonSerializer.Deserialize(_buffer.WrittenSpan, BenchJsonContext.Default.Order)!;
    }

    [Benchmark]
    [BenchmarkCategory("Order")]
    public Order Order_MemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _order);
        return MemoryPackSerializer.Deserialize<Order>(_buffer.WrittenSpan)!;
    }

    [Benchmark]
    [BenchmarkCategory("Doubles")]
    public double[] Doubles8MiB_Flows()
    {
        _buffer.ResetWrittenCount();
        _doublesCodec.WriteResult(_doubles, _buffer);
        return (double[])_doublesCodec.ReadResult(_buffer.WrittenSpan)!;
    }

    [Benchmark]
    [BenchmarkCategory("Doubles")]
    public double[] Doubles8MiB_SystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            JsonSerializer.Serialize(writer, _doubles, BenchJsonContext.Default.DoubleArray);
        }

        return JsonSerializer.Deserialize(_buffer.WrittenSpan, BenchJsonContext.Default.DoubleArray)!;
    }

    [Benchmark]
    [BenchmarkCategory("Doubles")]
    public double[] Doubles8MiB_MemoryPack()
    {
        _buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(_buffer, _doubles);
        return MemoryPackSerializer.Deserialize<double[]>(_buffer.WrittenSpan)!;
    }
}
