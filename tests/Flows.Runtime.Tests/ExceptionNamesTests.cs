using Flows.Workers;

namespace Flows.Runtime.Tests;

/// <summary>
/// <see cref="ExceptionNames.IsOfType"/>: a failure is of a type when that type's full name is in
/// its type chain, for a local exception and for one that came back from a worker alike.
/// </summary>
public sealed class ExceptionNamesTests
{
    [Fact]
    public void A_local_exception_is_of_its_own_type_and_of_every_base_type_up_to_System_Exception()
    {
        var error = new FileNotFoundException("missing");

        Assert.True(ExceptionNames.IsOfType(error, "System.IO.FileNotFoundException"));
        Assert.True(ExceptionNames.IsOfType(error, "System.IO.IOException"));
        Assert.True(ExceptionNames.IsOfType(error, "System.SystemException"));
        Assert.True(ExceptionNames.IsOfType(error, "System.Exception"));
        Assert.False(ExceptionNames.IsOfType(error, "System.ArgumentException"));
        Assert.False(ExceptionNames.IsOfType(error, "System.Object"));
        Assert.False(ExceptionNames.IsOfType(error, "IOException"));
    }

    [Fact]
    public void A_remote_exception_is_matched_by_the_chain_its_worker_sent_not_by_its_own_type()
    {
        var chain = new[] { "Acme.Storage.ThrottledException", "System.IO.IOException", "System.SystemException", "System.Exception" };
        var error = new RemoteTaskException(chain[0], "slow down", "details", chain);

        Assert.True(ExceptionNames.IsOfType(error, "Acme.Storage.ThrottledException"));
        Assert.True(ExceptionNames.IsOfType(error, "System.IO.IOException"));
        Assert.False(ExceptionNames.IsOfType(error, "Flows.RemoteTaskException"));
        Assert.False(ExceptionNames.IsOfType(error, "System.ArgumentException"));
    }

    [Fact]
    public void System_Exception_matches_every_failure_even_one_whose_chain_is_unknown()
    {
        var error = new RemoteTaskException("Acme.Odd", "odd", "details");

        Assert.Equal(new[] { "Acme.Odd" }, error.RemoteTypeChain);
        Assert.True(ExceptionNames.IsOfType(error, "System.Exception"));
        Assert.True(ExceptionNames.IsOfType(error, "Acme.Odd"));
    }

    [Fact]
    public void A_generic_exception_is_named_by_its_definition()
    {
        var error = new Failure<int>();

        Assert.Equal(typeof(Failure<>).FullName, ExceptionNames.TypeChain(error)[0]);
        Assert.True(ExceptionNames.IsOfType(error, "Flows.Runtime.Tests.ExceptionNamesTests+Failure`1"));
        Assert.Equal("Flows.Runtime.Tests.ExceptionNamesTests+Failure`1", ExceptionNames.OriginalType(error));
    }

    [Fact]
    public void A_worker_sends_the_type_chain_and_the_flow_process_gets_it_back_on_the_remote_exception()
    {
        var record = FailureRecord.Of(new FileNotFoundException("missing"));

        Assert.Equal(new[] { "System.IO.FileNotFoundException", "System.IO.IOException", "System.SystemException", "System.Exception" }, record.TypeChain);
        Assert.Equal("System.IO.FileNotFoundException", record.Type);
        var remote = Assert.IsType<RemoteTaskException>(record.ToException("flow", "task"));
        Assert.Equal(record.TypeChain, remote.RemoteTypeChain);
        Assert.Equal("System.IO.FileNotFoundException", remote.RemoteType);
    }

    [Fact]
    public void A_remote_exception_refuses_a_chain_that_does_not_start_with_its_type()
    {
        Assert.Throws<ArgumentException>(() => new RemoteTaskException("Acme.A", "m", "d", new[] { "Acme.B", "System.Exception" }));
        Assert.Throws<ArgumentException>(() => new RemoteTaskException("Acme.A", "m", "d", Array.Empty<string>()));
    }

    public sealed class Failure<TCode> : Exception
    {
    }
}
