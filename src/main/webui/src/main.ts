document.getElementById('app')!.textContent = 'Berth';
